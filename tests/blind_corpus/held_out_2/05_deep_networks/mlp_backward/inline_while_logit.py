import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    n = Y.shape[1]
    if loss == "bce":
        Delta = sigmoid(cache[f"Z{L}"]) - Y
    elif loss == "squared_error":
        Delta = (cache[f"F{L}"] - Y) * cache[f"J{L}"]
    else:
        raise ValueError(f"unknown loss {loss!r}")
    grads = {}
    j = L
    while j >= 1:
        grads[f"dW{j}"] = Delta @ cache[f"F{j - 1}"].T / n
        grads[f"db{j}"] = Delta.mean(axis=1, keepdims=True)
        if j > 1:
            Delta = (params[f"W{j}"].T @ Delta) * cache[f"J{j - 1}"]
        j -= 1
    return grads
