import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    perm = rng.permutation(X.shape[1])
    p = dict(params)
    for start in range(0, X.shape[1], batch_size):
        idx = perm[start:start + batch_size]
        g = mlp_gradients(p, X[:, idx], Y[:, idx], activations, loss)
        p = {k: p[k] - (lr / batch_size) * g["d" + k] for k in p}
    return p
