import numpy as np


def output_layer_gradients(params, X, y, activation="sigmoid"):
    forward = hidden_forward(params, X, activation=activation)
    A1, y_hat = forward["A1"], forward["y_hat"]
    n = y.shape[1]
    delta = y_hat - y
    dW2 = np.einsum("on,dn->od", delta, A1) / n
    db2 = delta.sum(axis=1).reshape(1, 1) / n
    return dW2, db2
