import numpy as np


def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    grads = {}
    for j in range(1, L + 1):
        factors = [jacobians[L - 1].T]
        for k in range(L, j, -1):
            factors = [jacobians[k - 2].T, params[f"W{k}"].T] + factors
        c = factors[0] if len(factors) == 1 else np.linalg.multi_dot(factors)
        grads[f"dW{j}"] = c @ layer_inputs[j - 1].T
        grads[f"db{j}"] = c
    return grads
