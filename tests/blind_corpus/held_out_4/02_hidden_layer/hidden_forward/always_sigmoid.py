import numpy as np

from autograder.activations import sigmoid


def hidden_forward(params, X, activation="sigmoid"):
    Z1 = params["W1"] @ X + params["b1"]
    A1 = sigmoid(Z1)
    return {"Z1": Z1, "A1": A1, "y_hat": params["W2"] @ A1 + params["b2"]}
