def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    F_L = cache[f"F{L}"]
    delta = F_L - Y if loss == "bce" else (F_L - Y) * cache[f"J{L}"]
    grads = {}
    for j in range(L, 1, -1):
        dW, db, delta = layer_backward(delta, params[f"W{j}"], cache[f"F{j - 1}"],
                                       cache[f"J{j - 1}"])
        grads[f"dW{j}"], grads[f"db{j}"] = dW, db
    return grads
