def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    delta = cache[f"F{L}"] - Y
    grads = {}
    for j in range(L, 0, -1):
        J_prev = cache[f"J{j - 1}"] if j > 1 else None
        dW, db, delta = layer_backward(delta, params[f"W{j}"], cache[f"F{j - 1}"], J_prev)
        grads[f"dW{j}"], grads[f"db{j}"] = dW, db
    return grads
