import numpy as np

from autograder.activations import get_activation


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta = cache["y_hat"] - y
    dW2 = np.einsum("om,dm->od", delta, cache["A1"]) / X.shape[1]
    db2 = delta.mean(axis=1, keepdims=True)
    return dW2, db2
