import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    n = X.shape[1]
    batch = rng.choice(n, size=batch_size, replace=False)
    X_batch = np.take(X, batch, axis=1)
    Y_batch = np.take(Y, batch, axis=1)
    return mlp_gradients(params, X_batch, Y_batch, activations, loss)
