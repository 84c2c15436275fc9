import numpy as np

from autograder.activations import get_activation


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, x, y, activation)
    new = {name: np.array(value, dtype=float, copy=True) for name, value in params.items()}
    for name in new:
        new[name] -= lr * grads["d" + name]
    return new
