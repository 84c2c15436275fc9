import numpy as np

from autograder.activations import get_activation


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    m = X.shape[1]
    dW2 = np.zeros_like(params["W2"], dtype=float)
    db2 = np.zeros((1, 1))
    for i in range(m):
        e = cache["y_hat"][0, i] - y[0, i]
        dW2 += e * cache["A1"][:, i][np.newaxis, :]
        db2 += e
    return dW2 / m, db2 / m
