import numpy as np

from autograder.activations import get_activation


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    cache = hidden_forward(params, X, activation)
    e = (cache["y_hat"] - y)[0]
    d, p = params["W1"].shape
    m = X.shape[1]
    dW1, db1 = np.zeros((d, p)), np.zeros((d, 1))
    for j in range(d):
        delta_j = e * params["W2"][0, j] * h.df(cache["Z1"][j])
        dW1[j] = X @ delta_j / m
        db1[j, 0] = delta_j.sum() / m
    return dW1, db1
