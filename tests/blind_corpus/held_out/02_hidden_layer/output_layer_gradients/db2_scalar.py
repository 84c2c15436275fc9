import numpy as np


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta = cache["y_hat"] - y
    n = X.shape[1]
    dW2 = delta @ cache["A1"].T / n
    db2 = float(np.mean(delta))
    return dW2, db2
