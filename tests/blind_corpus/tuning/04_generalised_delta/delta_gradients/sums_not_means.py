import numpy as np


def delta_gradients(x, t, w, b1, u, b2):
    fwd = delta_forward(x, w, b1, u, b2)
    h, y = fwd["h"], fwd["y"]
    d_out = (y - t) * y * (1 - y)
    d_hid = (d_out @ u.T) * h * (1 - h)
    return {"dw": x.T @ d_hid, "db1": d_hid.sum(axis=0),
            "du": h.T @ d_out, "db2": d_out.sum(axis=0)}
