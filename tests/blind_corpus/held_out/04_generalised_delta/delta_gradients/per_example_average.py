import numpy as np


def delta_gradients(x, t, w, b1, u, b2):
    m = x.shape[0]
    grads = {"dw": np.zeros_like(w, dtype=float), "db1": np.zeros_like(b1, dtype=float),
             "du": np.zeros_like(u, dtype=float), "db2": np.zeros_like(b2, dtype=float)}
    for i in range(m):
        xi, ti = x[i], t[i]
        hi = sigmoid(xi @ w + b1)
        yi = sigmoid(hi @ u + b2)
        d_out = (yi - ti) * yi * (1 - yi)
        d_hid = (u @ d_out) * hi * (1 - hi)
        grads["dw"] += np.outer(xi, d_hid)
        grads["db1"] += d_hid
        grads["du"] += np.outer(hi, d_out)
        grads["db2"] += d_out
    return {k: v / m for k, v in grads.items()}
