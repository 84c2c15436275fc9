import numpy as np

from autograder.activations import get_activation


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta = cache["y_hat"] - y
    n = X.shape[0]
    return delta @ cache["A1"].T / n, delta.sum(axis=1, keepdims=True) / n
