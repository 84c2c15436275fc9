import numpy as np


def delta_gradients(x, t, w, b1, u, b2):
    fwd = delta_forward(x, w, b1, u, b2)
    h, y = fwd["h"], fwd["y"]
    d_out = (y - t) * y * (1 - y)
    d_hid = (d_out @ w) * h * (1 - h)
    m = len(x)
    return {"dw": x.T @ d_hid / m, "db1": d_hid.mean(axis=0), "du": h.T @ d_out / m,
            "db2": d_out.mean(axis=0)}
