import numpy as np


def jacobian_backward(params, layer_inputs, jacobians):
    grads = {}
    j = len(jacobians)
    g = jacobians.pop()
    while layer_inputs:
        F_prev = layer_inputs.pop()
        grads[f"dW{j}"] = g.T @ F_prev.T
        grads[f"db{j}"] = g.T
        if jacobians:
            g = g @ params[f"W{j}"] @ jacobians.pop()
        j -= 1
    return grads
