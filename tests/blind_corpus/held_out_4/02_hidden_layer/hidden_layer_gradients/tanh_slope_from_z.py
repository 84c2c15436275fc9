import numpy as np

from autograder.activations import get_activation


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    Z1 = cache["Z1"]
    if activation == "tanh":
        slope = 1.0 - Z1 ** 2
    else:
        slope = get_activation(activation).df(Z1)
    delta1 = (params["W2"].T @ (cache["y_hat"] - y)) * slope
    m = X.shape[1]
    return delta1 @ X.T / m, delta1.mean(axis=1, keepdims=True)
