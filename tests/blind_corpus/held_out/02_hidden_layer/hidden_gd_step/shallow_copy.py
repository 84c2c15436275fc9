import numpy as np


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, X, y, activation)
    new = params.copy()
    for name in ("W1", "b1", "W2", "b2"):
        new[name] -= lr * grads["d" + name]
    return new
