import numpy as np


def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    w = np.zeros((X.shape[0], 1)) if w0 is None else np.array(w0, dtype=float)
    b = 0.0
    costs = [logistic_cost(w, b, X, y)]
    for _ in range(n_iter):
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w - lr * dw, b - lr * db
        costs.append(logistic_cost(w, b, X, y))
    return w, float(b), np.array(costs)
