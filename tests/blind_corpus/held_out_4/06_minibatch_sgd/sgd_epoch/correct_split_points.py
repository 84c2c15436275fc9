import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    current = dict(params)
    for idx in np.array_split(order, np.arange(batch_size, n, batch_size)):
        g = mlp_gradients(current, X[:, idx], Y[:, idx], activations, loss)
        current = {k: current[k] - lr * g["d" + k] for k in current}
    return current
