def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    grads = {}
    P = jacobians[-1]
    for j in range(L, 0, -1):
        grads[f"dW{j}"] = P.T @ layer_inputs[j - 1].T
        grads[f"db{j}"] = P
        if j > 1:
            P = P @ params[f"W{j}"] @ jacobians[j - 2]
    return grads
