import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    out = {k: np.array(v, dtype=float) for k, v in params.items()}
    for idx in np.split(order, np.arange(batch_size, n, batch_size)):
        grads = mlp_gradients(out, X[:, idx], Y[:, idx], activations, loss)
        out = {k: out[k] - lr * grads["d" + k] for k in out}
    return out
