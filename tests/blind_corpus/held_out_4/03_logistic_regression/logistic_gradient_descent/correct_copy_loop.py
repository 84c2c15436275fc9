import numpy as np


def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    w = np.zeros((X.shape[0], 1)) if w0 is None else np.array(w0, dtype=float, copy=True)
    b = float(b0)
    costs = np.empty(n_iter + 1)
    costs[0] = logistic_cost(w, b, X, y)
    for k in range(1, n_iter + 1):
        dw, db = logistic_gradients(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
        costs[k] = logistic_cost(w, b, X, y)
    return w, float(b), costs
