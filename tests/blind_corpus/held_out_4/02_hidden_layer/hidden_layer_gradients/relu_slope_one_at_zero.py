import numpy as np

from autograder.activations import get_activation


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    Z1, A1 = cache["Z1"], cache["A1"]
    if activation == "relu":
        slope = (Z1 >= 0).astype(float)
    elif activation == "tanh":
        slope = 1.0 - A1 ** 2
    else:
        slope = A1 * (1.0 - A1)
    delta1 = (params["W2"].T @ (cache["y_hat"] - y)) * slope
    m = X.shape[1]
    return delta1 @ X.T / m, delta1.mean(axis=1, keepdims=True)
