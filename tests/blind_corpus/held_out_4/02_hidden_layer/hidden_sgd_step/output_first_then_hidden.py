import numpy as np

from autograder.activations import get_activation


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    new = dict(params)
    dW2, db2 = output_layer_gradients(new, x, y, activation)
    new["W2"] = new["W2"] - lr * dW2
    new["b2"] = new["b2"] - lr * db2
    dW1, db1 = hidden_layer_gradients(new, x, y, activation)
    new["W1"] = new["W1"] - lr * dW1
    new["b1"] = new["b1"] - lr * db1
    return new
