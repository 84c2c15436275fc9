import numpy as np


def gradient_descent_1d(dJ, w0, lr, n_iter):
    path = np.empty(n_iter + 1)
    path[0] = w0
    for k in range(n_iter):
        path[k + 1] = path[k] - lr * dJ(w0)
    return path
