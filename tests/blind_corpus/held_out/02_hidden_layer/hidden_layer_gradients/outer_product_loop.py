import numpy as np


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    W2 = params["W2"]
    cache = hidden_forward(params, X, activation)
    d, p = params["W1"].shape
    n = X.shape[1]
    dW1 = np.zeros((d, p))
    db1 = np.zeros((d, 1))
    for i in range(n):
        err_i = cache["y_hat"][0, i] - y[0, i]
        delta_i = err_i * W2[0, :] * h.df(cache["Z1"][:, i])  # (d,)
        dW1 += np.outer(delta_i, X[:, i])
        db1 += delta_i[:, np.newaxis]
    return dW1 / n, db1 / n
