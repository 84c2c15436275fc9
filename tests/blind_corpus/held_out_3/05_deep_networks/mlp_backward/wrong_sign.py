def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    delta = Y - cache[f"F{L}"]
    if loss == "squared_error":
        delta = delta * cache[f"J{L}"]
    grads = {}
    for j in range(L, 0, -1):
        J_prev = cache[f"J{j - 1}"] if j > 1 else None
        grads[f"dW{j}"], grads[f"db{j}"], delta = layer_backward(
            delta, params[f"W{j}"], cache[f"F{j - 1}"], J_prev)
    return grads
