import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    perm = rng.permutation(X.shape[1])
    X_s, Y_s = X[:, perm], Y[:, perm]
    new = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
    start = 0
    while start < X_s.shape[1]:
        stop = start + batch_size
        g = mlp_gradients(new, X_s[:, start:stop], Y_s[:, start:stop], activations, loss)
        for k in new:
            new[k] -= lr * g["d" + k]
        start = stop
    return new
