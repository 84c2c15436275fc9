import numpy as np


def gradient_descent_1d(dJ, w0, lr, n_iter):
    slope = dJ(w0)
    path = [w0]
    w = w0
    for _ in range(n_iter):
        w = w - lr * slope
        path.append(w)
    return np.array(path, dtype=float)
