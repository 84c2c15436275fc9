import numpy as np

def gradient_descent_1d(dJ, w0, lr, n_iter):
    path = np.empty(n_iter + 1, dtype=np.float64)
    path[0] = w0
    k = 0
    while k < n_iter:
        path[k + 1] = path[k] - lr * dJ(path[k])
        k += 1
    return path
