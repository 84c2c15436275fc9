import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    perm = rng.permutation(X.shape[1])
    for start in range(0, X.shape[1], batch_size):
        idx = perm[start:start + batch_size]
        g = mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)
        for k in params:
            params[k] -= lr * g["d" + k]
    return params
