import numpy as np


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    m = X.shape[1]
    delta = cache["y_hat"] - y
    dW2 = delta @ cache["A1"].T / m
    db2 = float(np.mean(delta))
    return dW2, db2
