import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    perm = rng.permutation(X.shape[1])
    p = dict(params)
    for k in range(X.shape[1] // batch_size):
        idx = perm[k * batch_size:(k + 1) * batch_size]
        g = mlp_gradients(p, X[:, idx], Y[:, idx], activations, loss)
        p = {name: p[name] - lr * g["d" + name] for name in p}
    return p
