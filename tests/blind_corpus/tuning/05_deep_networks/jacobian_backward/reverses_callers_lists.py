import numpy as np


def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    jacobians.reverse()
    layer_inputs.reverse()
    grads = {}
    P = jacobians[0]
    for k in range(L):
        j = L - k
        grads[f"dW{j}"] = P.T @ layer_inputs[k].T
        grads[f"db{j}"] = P.T
        if j > 1:
            P = P @ params[f"W{j}"] @ jacobians[k + 1]
    return grads
