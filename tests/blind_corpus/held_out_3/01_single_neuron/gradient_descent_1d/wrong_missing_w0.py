import numpy as np

def gradient_descent_1d(dJ, w0, lr, n_iter):
    w = w0
    path = []
    for _ in range(n_iter):
        w = w - lr * dJ(w)
        path.append(w)
    return np.array(path, dtype=float)
