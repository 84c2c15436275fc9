import numpy as np


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    A1, y_hat = cache["A1"], cache["y_hat"]
    d, m = A1.shape
    dW2 = np.zeros((1, d))
    db2 = np.zeros((1, 1))
    for i in range(m):
        err = y_hat[0, i] - y[0, i]
        dW2 += err * A1[:, i][np.newaxis, :]
        db2 += err
    return dW2 / m, db2 / m
