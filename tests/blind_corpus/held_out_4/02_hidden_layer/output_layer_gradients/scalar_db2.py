import numpy as np

from autograder.activations import get_activation


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta = cache["y_hat"] - y
    return delta @ cache["A1"].T / X.shape[1], np.mean(delta)
