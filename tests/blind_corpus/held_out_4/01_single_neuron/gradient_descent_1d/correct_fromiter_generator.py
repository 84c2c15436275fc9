import numpy as np


def gradient_descent_1d(dJ, w0, lr, n_iter):
    def iterates():
        w = w0
        yield w
        for _ in range(n_iter):
            w = w - lr * dJ(w)
            yield w
    return np.fromiter(iterates(), dtype=np.float64, count=n_iter + 1)
