import numpy as np


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta2 = cache["y_hat"] - y                                   # (1, m)
    delta1 = params["W2"].T * delta2 * get_activation(activation).df(cache["Z1"])
    m = X.shape[1]
    dW1 = np.einsum("dm,pm->dp", delta1, X) / m
    db1 = delta1.sum(axis=1, keepdims=True) / m
    return dW1, db1
