import numpy as np

from autograder.activations import get_activation


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, x, y)
    return {k: params[k] - lr * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}
