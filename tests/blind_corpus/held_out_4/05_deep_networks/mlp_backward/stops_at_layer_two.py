import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    delta = cache[f"F{L}"] - Y
    if loss == "squared_error":
        delta = delta * cache[f"J{L}"]
    grads = {}
    for j in range(L, 1, -1):
        grads[f"dW{j}"], grads[f"db{j}"], delta = layer_backward(
            delta, params[f"W{j}"], cache[f"F{j - 1}"], cache[f"J{j - 1}"])
    return grads
