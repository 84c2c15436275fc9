import numpy as np

from autograder.activations import get_activation


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X)
    delta = cache["y_hat"] - y
    m = X.shape[1]
    return delta @ cache["A1"].T / m, np.sum(delta, axis=1, keepdims=True) / m
