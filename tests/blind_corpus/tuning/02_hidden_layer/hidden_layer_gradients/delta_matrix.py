import numpy as np


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    cache = hidden_forward(params, X, activation)
    n = X.shape[1]
    delta = cache["y_hat"] - y
    Delta1 = (params["W2"].T @ delta) * h.df(cache["Z1"])
    dW1 = Delta1 @ X.T / n
    db1 = np.mean(Delta1, axis=1, keepdims=True)
    return dW1, db1
