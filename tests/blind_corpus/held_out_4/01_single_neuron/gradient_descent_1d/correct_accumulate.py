import itertools

import numpy as np


def gradient_descent_1d(dJ, w0, lr, n_iter):
    steps = itertools.accumulate(range(n_iter), lambda w, _: w - lr * dJ(w), initial=w0)
    return np.array([float(w) for w in steps], dtype=np.float64)
