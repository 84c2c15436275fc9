import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    n = Y.shape[1]
    delta = cache[f"F{L}"] - Y if loss == "bce" else (cache[f"F{L}"] - Y) * cache[f"J{L}"]
    grads = {}
    for j in range(L, 0, -1):
        grads[f"dW{j}"] = delta @ cache[f"F{j - 1}"].T / n
        grads[f"db{j}"] = delta.mean(axis=1, keepdims=True)
        if j > 1:
            delta = params[f"W{j}"].T @ (delta * cache[f"J{j}"])
    return grads
