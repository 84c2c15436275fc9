import numpy as np

def mlp_backward(params, cache, Y, activations, loss):
    L = len(activations)
    n = Y.shape[1]
    if loss == "squared_error":
        delta = (cache["F%d" % L] - Y) * cache["J%d" % L]
    elif loss == "bce":
        delta = 0.5 * (1.0 + np.tanh(0.5 * cache["Z%d" % L])) - Y
    else:
        raise ValueError(loss)
    grads = {}
    j = L
    while j >= 1:
        grads["dW%d" % j] = np.dot(delta, cache["F%d" % (j - 1)].T) / n
        grads["db%d" % j] = delta.sum(axis=1).reshape(-1, 1) / n
        if j > 1:
            delta = np.dot(params["W%d" % j].T, delta) * cache["J%d" % (j - 1)]
        j -= 1
    return grads
