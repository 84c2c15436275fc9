import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    F_L, J_L = cache.pop(f"F{L}"), cache.pop(f"J{L}")
    delta = F_L - Y if loss == "bce" else (F_L - Y) * J_L
    grads = {}
    for j in range(L, 0, -1):
        J_prev = cache.pop(f"J{j - 1}") if j > 1 else None
        F_prev = cache.pop(f"F{j - 1}")
        dW, db, delta = layer_backward(delta, params[f"W{j}"], F_prev, J_prev)
        grads[f"dW{j}"], grads[f"db{j}"] = dW, db
    return grads
