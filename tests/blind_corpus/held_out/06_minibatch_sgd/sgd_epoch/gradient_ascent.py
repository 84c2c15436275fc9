import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    p = dict(params)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        grads = mlp_gradients(p, X[:, idx], Y[:, idx], activations, loss)
        p = {k: p[k] + lr * grads["d" + k] for k in p}
    return p
