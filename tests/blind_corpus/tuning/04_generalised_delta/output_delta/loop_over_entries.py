import numpy as np


def output_delta(y, t):
    y = np.asarray(y, dtype=float)
    t = np.asarray(t, dtype=float)
    delta = np.empty_like(y)
    m, n_out = y.shape
    for i in range(m):
        for j in range(n_out):
            delta[i, j] = (y[i, j] - t[i, j]) * y[i, j] * (1 - y[i, j])
    return delta
