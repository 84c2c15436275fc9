def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    grads = {}
    P = jacobians[L - 1]
    for j in range(L, 0, -1):
        grads[f"dW{j}"] = P.T @ layer_inputs[j - 1].T
        grads[f"db{j}"] = P.T
        if j > 1:
            P = P @ params[f"W{j}"]
    return grads
