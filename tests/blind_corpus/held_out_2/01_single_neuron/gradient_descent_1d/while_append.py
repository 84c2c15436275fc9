import numpy as np


def gradient_descent_1d(dJ, w0, lr, n_iter):
    w = float(w0)
    path = [w]
    k = 0
    while k < n_iter:
        slope = dJ(w)
        w = w - lr * slope
        path.append(float(w))
        k += 1
    return np.asarray(path, dtype=np.float64)
