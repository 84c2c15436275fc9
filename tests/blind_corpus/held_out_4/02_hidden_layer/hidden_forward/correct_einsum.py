import numpy as np

from autograder.activations import get_activation


def hidden_forward(params, X, activation="sigmoid"):
    h = get_activation(activation)
    Z1 = np.einsum("dp,pm->dm", params["W1"], X) + params["b1"]
    A1 = h.f(Z1)
    y_hat = np.einsum("od,dm->om", params["W2"], A1) + params["b2"]
    return {"Z1": Z1, "A1": A1, "y_hat": y_hat}
