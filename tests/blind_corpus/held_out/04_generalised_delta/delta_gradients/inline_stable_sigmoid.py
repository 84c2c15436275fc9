import numpy as np


def _sig(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))  # equals 1 / (1 + exp(-a)), never overflows


def delta_gradients(x, t, w, b1, u, b2):
    m = x.shape[0]
    h = _sig(x @ w + b1)
    y = _sig(h @ u + b2)
    delta_out = (y - t) * y * (1 - y)
    delta_hid = (delta_out @ u.T) * h * (1 - h)
    ones = np.ones(m)
    return {"dw": x.T @ delta_hid / m, "db1": ones @ delta_hid / m,
            "du": h.T @ delta_out / m, "db2": ones @ delta_out / m}
