import numpy as np


def jacobian_backward(params, layer_inputs, jacobians):
    L = len(jacobians)
    d = jacobians[-1].T  # (n_L, 1)
    grads = {}
    for j in reversed(range(1, L + 1)):
        grads["dW%d" % j] = np.dot(d, layer_inputs[j - 1].T)
        grads["db%d" % j] = d.copy()
        if j > 1:
            d = jacobians[j - 2].T @ (params["W%d" % j].T @ d)
    return grads
