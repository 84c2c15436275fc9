import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    n = Y.shape[1]
    grads = {}

    def delta_at(j):
        if j == L:
            error = cache[f"F{L}"] - Y
            return error if loss == "bce" else error * cache[f"J{L}"]
        return (params[f"W{j + 1}"].T @ delta_at(j + 1)) * cache[f"J{j}"]

    def fill(j, delta):
        grads[f"dW{j}"] = delta @ cache[f"F{j - 1}"].T / n
        grads[f"db{j}"] = np.sum(delta, axis=1, keepdims=True) / n

    delta = delta_at(1)
    fill(1, delta)
    for j in range(2, L + 1):
        fill(j, delta_at(j))
    return grads
