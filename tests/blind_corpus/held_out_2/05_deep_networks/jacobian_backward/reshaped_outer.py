def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    grads = {}
    P = jacobians[-1]
    for j in range(L, 0, -1):
        W = params[f"W{j}"]
        grads[f"dW{j}"] = (layer_inputs[j - 1] @ P).reshape(W.shape)
        grads[f"db{j}"] = P.T
        if j > 1:
            P = P @ W @ jacobians[j - 2]
    return grads
