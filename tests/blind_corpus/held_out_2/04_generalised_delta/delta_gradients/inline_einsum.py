import numpy as np


def delta_gradients(x, t, w, b1, u, b2):
    a1 = x @ w + b1
    h = sigmoid(a1)
    a2 = h @ u + b2
    y = sigmoid(a2)
    m = len(x)
    d2 = (y - t) * sigmoid_prime(a2)          # (m, n_out)
    d1 = (d2 @ u.T) * sigmoid_prime(a1)       # (m, n_hid)
    return {"dw": np.einsum("mi,mj->ij", x, d1) / m,
            "db1": np.einsum("mj->j", d1) / m,
            "du": np.einsum("mi,mj->ij", h, d2) / m,
            "db2": np.einsum("mj->j", d2) / m}
