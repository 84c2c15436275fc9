import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    F_L, J_L = cache[f"F{L}"], cache[f"J{L}"]
    if loss == "bce":
        dl_dF = -(Y / F_L) + (1 - Y) / (1 - F_L)
        delta = dl_dF * J_L
    else:
        delta = (F_L - Y) * J_L
    grads = {}
    for j in range(L, 0, -1):
        J_prev = cache[f"J{j - 1}"] if j > 1 else None
        dW, db, delta = layer_backward(delta, params[f"W{j}"], cache[f"F{j - 1}"], J_prev)
        grads[f"dW{j}"], grads[f"db{j}"] = dW, db
    return grads
