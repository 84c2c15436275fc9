import numpy as np


def gradient_descent_1d(dJ, w0, lr, n_iter):
    path = [w0]
    w = w0
    while True:
        w = w - lr * dJ(w)
        path.append(w)
        if len(path) >= n_iter + 1:
            break
    return np.array(path, dtype=float)
