import numpy as np


def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    grads = {}
    g = jacobians[-1]
    for j in range(L, 0, -1):
        grads[f"dW{j}"] = g.T @ layer_inputs[j - 1].T
        grads[f"db{j}"] = g.T.copy()
        if j > 1:
            g = g @ params[f"W{j}"] @ jacobians[j - 2]
    return grads
