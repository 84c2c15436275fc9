import numpy as np


def output_layer_gradients(params, X, y, activation="sigmoid"):
    out = hidden_forward(params, X, activation)
    delta = out["y_hat"] - y                                     # (1, n)
    dW2 = np.mean(out["A1"] * delta, axis=1, keepdims=True).T   # (d, 1) -> (1, d)
    db2 = delta.mean(axis=1, keepdims=True)
    return dW2, db2
