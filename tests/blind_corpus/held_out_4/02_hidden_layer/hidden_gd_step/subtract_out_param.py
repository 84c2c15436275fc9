import numpy as np

from autograder.activations import get_activation


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    g = hidden_backward(params, X, y, activation)
    out = {}
    for k in params:
        out[k] = np.subtract(params[k], lr * g["d" + k], out=params[k])
    return out
