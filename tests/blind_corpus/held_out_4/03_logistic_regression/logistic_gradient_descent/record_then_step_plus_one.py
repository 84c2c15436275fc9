import numpy as np


def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    w = np.zeros((X.shape[0], 1)) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    costs = []
    for _ in range(n_iter + 1):
        costs.append(logistic_cost(w, b, X, y))
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w - lr * dw, b - lr * db
    return w, float(b), np.array(costs)
