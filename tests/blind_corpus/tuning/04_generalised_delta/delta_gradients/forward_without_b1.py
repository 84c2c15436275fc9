import numpy as np


def delta_gradients(x, t, w, b1, u, b2):
    m = x.shape[0]
    h = sigmoid(x @ w)
    y = sigmoid(h @ u + b2)
    d_out = (y - t) * y * (1 - y)
    d_hid = (d_out @ u.T) * h * (1 - h)
    return {"dw": x.T @ d_hid / m, "db1": d_hid.mean(axis=0),
            "du": h.T @ d_out / m, "db2": d_out.mean(axis=0)}
