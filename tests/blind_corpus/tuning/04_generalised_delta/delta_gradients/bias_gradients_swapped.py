import numpy as np


def delta_gradients(x, t, w, b1, u, b2):
    m = x.shape[0]
    fwd = delta_forward(x, w, b1, u, b2)
    h, y = fwd["h"], fwd["y"]
    d_out = output_delta(y, t)
    d_hid = hidden_delta(d_out, u, h)
    return {"dw": x.T @ d_hid / m, "db1": d_out.mean(axis=0),
            "du": h.T @ d_out / m, "db2": d_hid.mean(axis=0)}
