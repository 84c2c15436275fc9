import numpy as np


def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    if w0 is None:
        w0 = np.zeros((X.shape[0], 1))
    w, b = w0, b0
    costs = []
    k = 0
    while k < n_iter:
        costs.append(logistic_cost(w, b, X, y))
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w - lr * dw, b - lr * db
        k += 1
    costs.append(logistic_cost(w, b, X, y))
    return w, b, np.asarray(costs, dtype=float)
