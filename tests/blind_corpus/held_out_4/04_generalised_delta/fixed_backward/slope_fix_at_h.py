import numpy as np

from autograder.activations import sigmoid, sigmoid_prime


def fixed_backward(x, t, w, b1, u, b2):
    m = x.shape[0]
    forward = delta_forward(x, w, b1, u, b2)
    h, y = forward["h"], forward["y"]
    delta_out = (y - t) * sigmoid_prime(forward["a2"])
    delta_hid = (delta_out @ u.T) * sigmoid_prime(h)
    return {"dw": x.T @ delta_hid / m, "db1": delta_hid.mean(axis=0),
            "du": h.T @ delta_out / m, "db2": delta_out.mean(axis=0)}
