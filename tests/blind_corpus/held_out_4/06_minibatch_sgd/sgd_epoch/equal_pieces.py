import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    n_batches = int(np.ceil(n / batch_size))
    p = dict(params)
    for idx in np.array_split(rng.permutation(n), n_batches):
        g = mlp_gradients(p, X[:, idx], Y[:, idx], activations, loss)
        p = {k: p[k] - lr * g["d" + k] for k in p}
    return p
