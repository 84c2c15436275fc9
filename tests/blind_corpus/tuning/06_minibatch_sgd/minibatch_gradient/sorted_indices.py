import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    n = X.shape[1]
    idx = np.sort(rng.choice(n, size=batch_size, replace=False))
    batch_X = X.T[idx].T
    batch_Y = Y.T[idx].T
    grads = mlp_gradients(params, batch_X, batch_Y, activations, loss)
    return {name: np.asarray(value, dtype=float) for name, value in grads.items()}
