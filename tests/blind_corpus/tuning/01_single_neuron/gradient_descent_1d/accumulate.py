from itertools import accumulate

import numpy as np


def gradient_descent_1d(dJ, w0, lr, n_iter):
    def step(w, _):
        return w - lr * dJ(w)

    iterates = accumulate(range(n_iter), step, initial=float(w0))
    return np.fromiter(iterates, dtype=np.float64, count=n_iter + 1)
