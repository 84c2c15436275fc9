import numpy as np


def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    w = w0 if w0 is not None else np.zeros((X.shape[0], 1))
    b = b0
    costs = np.empty(n_iter + 1)
    costs[0] = logistic_cost(w, b, X, y)
    for k in range(1, n_iter + 1):
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w - lr * dw, b - lr * db
        costs[k] = logistic_cost(w, b, X, y)
    return w, float(b), costs
