import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    F_L = cache[f"F{L}"]
    delta = F_L - Y if loss == "bce" else (F_L - Y) * cache[f"J{L}"]
    grads = {}
    for j in range(L, 0, -1):
        J_prev = cache[f"J{j - 1}"] if j > 1 else None
        grads[f"dW{j}"], grads[f"db{j}"], delta = layer_backward(
            delta, params[f"W{j}"], cache[f"F{j - 1}"], J_prev)
    return grads
