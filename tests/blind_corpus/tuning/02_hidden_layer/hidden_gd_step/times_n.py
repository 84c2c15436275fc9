import numpy as np


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    n = X.shape[1]
    grads = hidden_backward(params, X, y, activation)
    return {name: params[name] - lr * n * grads["d" + name] for name in ("W1", "b1", "W2", "b2")}
