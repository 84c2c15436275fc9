import numpy as np


def delta_gradients(x, t, w, b1, u, b2):
    fwd = delta_forward(x, w, b1, u, b2)
    d_out = fwd["y"] - t
    d_hid = hidden_delta(d_out, u, fwd["h"])
    m = len(x)
    return {"dw": x.T @ d_hid / m, "db1": d_hid.mean(axis=0), "du": fwd["h"].T @ d_out / m,
            "db2": d_out.mean(axis=0)}
