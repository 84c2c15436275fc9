import numpy as np

from autograder.activations import get_activation


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    g = hidden_backward(params, x, y, activation)
    return {"W1": params["W1"] - lr * g["dW1"], "b1": params["b1"] - g["db1"],
            "W2": params["W2"] - lr * g["dW2"], "b2": params["b2"] - g["db2"]}
