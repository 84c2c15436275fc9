import numpy as np

from autograder.activations import get_activation


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    m = X.shape[1]
    current = params
    for i in range(m):
        current = hidden_sgd_step(current, X[:, [i]], y[:, [i]], lr / m, activation)
    return current
