import numpy as np

from autograder.activations import get_activation


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    g = hidden_backward(params, X, y, activation)
    m = X.shape[1]
    return {k: params[k] - lr * m * g["d" + k] for k in params}
