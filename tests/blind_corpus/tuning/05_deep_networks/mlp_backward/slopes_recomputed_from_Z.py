import numpy as np


def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    n = Y.shape[1]
    slopes = {j: get_activation(activations[j - 1]).df(cache[f"Z{j}"]) for j in range(1, L + 1)}
    residual = cache[f"F{L}"] - Y
    delta = residual if loss == "bce" else residual * slopes[L]
    grads = {}
    for j in reversed(range(1, L + 1)):
        grads[f"dW{j}"] = np.einsum("in,jn->ij", delta, cache[f"F{j - 1}"]) / n
        grads[f"db{j}"] = delta.mean(axis=1)[:, None]
        if j > 1:
            delta = (params[f"W{j}"].T @ delta) * slopes[j - 1]
    return grads
