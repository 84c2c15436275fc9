import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    X_s = X[:, rng.permutation(n)]
    Y_s = Y[:, rng.permutation(n)]
    p = dict(params)
    for start in range(0, n, batch_size):
        g = mlp_gradients(p, X_s[:, start:start + batch_size], Y_s[:, start:start + batch_size],
                          activations, loss)
        p = {k: p[k] - lr * g["d" + k] for k in p}
    return p
