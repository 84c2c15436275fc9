import numpy as np

from autograder.activations import get_activation


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, x, y, activation)
    new = params.copy()
    for name in ("W1", "b1", "W2", "b2"):
        new[name] -= lr * grads["d" + name]
    return new
