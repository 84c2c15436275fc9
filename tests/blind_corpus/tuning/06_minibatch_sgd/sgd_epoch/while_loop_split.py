import copy
import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    theta = copy.deepcopy(params)
    n = Y.shape[1]
    order = rng.permutation(n)
    start = 0
    while start < n:
        batch = order[start:start + batch_size]
        g = mlp_gradients(theta, X[:, batch], Y[:, batch], activations, loss)
        for name in theta:
            theta[name] -= lr * g["d" + name]  # theta holds copies, the caller's arrays are safe
        start += batch_size
    return theta
