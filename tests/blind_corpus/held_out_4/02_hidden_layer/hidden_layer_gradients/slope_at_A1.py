import numpy as np

from autograder.activations import get_activation


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    cache = hidden_forward(params, X, activation)
    delta1 = (params["W2"].T @ (cache["y_hat"] - y)) * h.df(cache["A1"])
    m = X.shape[1]
    return delta1 @ X.T / m, delta1.sum(axis=1, keepdims=True) / m
