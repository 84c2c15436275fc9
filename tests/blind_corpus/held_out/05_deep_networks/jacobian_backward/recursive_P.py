import numpy as np


def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    products = {L: jacobians[L - 1]}

    def P(j):
        if j not in products:
            products[j] = P(j + 1) @ params[f"W{j + 1}"] @ jacobians[j - 1]
        return products[j]

    grads = {}
    for j in range(1, L + 1):
        grads[f"dW{j}"] = P(j).T @ layer_inputs[j - 1].T
        grads[f"db{j}"] = P(j).T
    return grads
