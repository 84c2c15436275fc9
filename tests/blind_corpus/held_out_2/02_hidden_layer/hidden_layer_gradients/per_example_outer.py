import numpy as np


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    cache = hidden_forward(params, X, activation)
    Z1, y_hat = cache["Z1"], cache["y_hat"]
    W2 = params["W2"]
    d, p = params["W1"].shape
    m = X.shape[1]
    dW1 = np.zeros((d, p))
    db1 = np.zeros((d, 1))
    for i in range(m):
        err = y_hat[0, i] - y[0, i]
        delta_i = err * W2[0, :] * h.df(Z1[:, i])      # (d,)
        dW1 += np.outer(delta_i, X[:, i])
        db1[:, 0] += delta_i
    return dW1 / m, db1 / m
