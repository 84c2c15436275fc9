def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    F_L, J_L = cache[f"F{L}"], cache[f"J{L}"]
    if loss == "bce":
        dl_dF = (F_L - Y) / (F_L * (1 - F_L))
    else:
        dl_dF = F_L - Y
    delta = dl_dF * J_L
    grads = {}
    for j in range(L, 0, -1):
        J_prev = cache[f"J{j - 1}"] if j > 1 else None
        grads[f"dW{j}"], grads[f"db{j}"], delta = layer_backward(
            delta, params[f"W{j}"], cache[f"F{j - 1}"], J_prev)
    return grads
