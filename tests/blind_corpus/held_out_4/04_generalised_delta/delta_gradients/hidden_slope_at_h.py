import numpy as np

from autograder.activations import sigmoid, sigmoid_prime


def delta_gradients(x, t, w, b1, u, b2):
    fwd = delta_forward(x, w, b1, u, b2)
    d_out = (fwd["y"] - t) * sigmoid_prime(fwd["a2"])
    d_hid = (d_out @ u.T) * sigmoid_prime(fwd["h"])
    m = len(x)
    return {"dw": x.T @ d_hid / m, "db1": d_hid.mean(axis=0), "du": fwd["h"].T @ d_out / m,
            "db2": d_out.mean(axis=0)}
