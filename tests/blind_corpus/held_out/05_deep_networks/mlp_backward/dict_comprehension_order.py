import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    out = cache[f"F{L}"]
    delta = (out - Y) if loss == "bce" else (out - Y) * cache[f"J{L}"]
    per_layer = {}
    for j in range(L, 0, -1):
        per_layer[j] = layer_backward(delta, params[f"W{j}"], cache[f"F{j - 1}"],
                                      cache.get(f"J{j - 1}") if j > 1 else None)
        delta = per_layer[j][2]
    grads = {}
    for j in range(1, L + 1):
        grads[f"dW{j}"], grads[f"db{j}"] = per_layer[j][0], per_layer[j][1]
    return grads
