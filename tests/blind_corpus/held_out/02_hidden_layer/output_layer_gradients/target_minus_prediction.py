import numpy as np


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta = y - cache["y_hat"]
    n = X.shape[1]
    dW2 = delta @ cache["A1"].T / n
    db2 = np.mean(delta, axis=1, keepdims=True)
    return dW2, db2
