import numpy as np

from autograder.activations import get_activation


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta2 = cache["y_hat"] - y
    delta1 = params["W2"].T * delta2 * get_activation(activation).df(cache["Z1"])
    dW1 = np.einsum("dm,pm->dp", delta1, X) / X.shape[1]
    db1 = delta1.mean(axis=1, keepdims=True)
    return dW1, db1
