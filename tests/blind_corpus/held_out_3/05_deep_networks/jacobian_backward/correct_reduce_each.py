from functools import reduce
import numpy as np

def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    grads = {}
    for j in range(1, L + 1):
        factors = [jacobians[L - 1]]
        for k in range(L, j, -1):
            factors += [params[f"W{k}"], jacobians[k - 2]]
        P = reduce(np.matmul, factors)
        grads[f"dW{j}"] = np.outer(P.ravel(), np.ravel(layer_inputs[j - 1]))
        grads[f"db{j}"] = P.reshape(-1, 1)
    return grads
