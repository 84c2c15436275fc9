import numpy as np


def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    grads = {}
    delta = np.diag(jacobians[-1]).reshape(-1, 1)
    for j in range(L, 0, -1):
        grads[f"dW{j}"] = delta @ layer_inputs[j - 1].T
        grads[f"db{j}"] = delta
        if j > 1:
            delta = (params[f"W{j}"].T @ delta) * np.diag(jacobians[j - 2]).reshape(-1, 1)
    return grads
