import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    n = X.shape[1]
    X_batch = X[:, rng.choice(n, size=batch_size, replace=False)]
    Y_batch = Y[:, rng.choice(n, size=batch_size, replace=False)]
    return mlp_gradients(params, X_batch, Y_batch, activations, loss)
