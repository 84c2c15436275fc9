import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    perm = rng.permutation(X.shape[1])
    p = dict(params)
    for start in range(0, X.shape[1], batch_size):
        idx = perm[start:start + batch_size]
        for k in list(p):
            g = mlp_gradients(p, X[:, idx], Y[:, idx], activations, loss)
            p[k] = p[k] - lr * g["d" + k]
    return p
