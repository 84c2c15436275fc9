import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    perm = rng.permutation(X.shape[1])
    p = dict(params)
    for start in range(0, X.shape[1], batch_size):
        batch = perm[start:start + batch_size]
        for i in batch:
            g = mlp_gradients(p, X[:, [i]], Y[:, [i]], activations, loss)
            p = {k: p[k] - lr / len(batch) * g["d" + k] for k in p}
    return p
