import numpy as np

from autograder.activations import get_activation


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    A1 = cache["A1"]
    delta1 = (params["W2"].T @ (cache["y_hat"] - y)) * A1 * (1 - A1)
    m = X.shape[1]
    return delta1 @ X.T / m, delta1.sum(axis=1, keepdims=True) / m
