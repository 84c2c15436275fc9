def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    grads = {}
    P = jacobians[L - 1]                         # (1, n_L)
    for j in range(L, 0, -1):
        F_prev = layer_inputs[j - 1]             # (n_{j-1}, 1)
        grads[f"dW{j}"] = P.T @ F_prev.T
        grads[f"db{j}"] = P.T
        if j > 1:
            P = P @ params[f"W{j}"] @ jacobians[j - 2]
    return grads
