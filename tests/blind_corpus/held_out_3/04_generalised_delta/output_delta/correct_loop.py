import numpy as np

def output_delta(y, t):
    m, n = y.shape
    out = np.empty((m, n))
    for i in range(m):
        for k in range(n):
            yk = y[i, k]
            out[i, k] = (yk - t[i, k]) * yk * (1.0 - yk)
    return out
