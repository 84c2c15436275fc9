import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    idx = rng.choice(Y.shape[1], size=batch_size, replace=False)
    X_b = np.take(X, idx, axis=1)
    Y_b = np.take(Y, idx, axis=1)
    return mlp_gradients(params, X_b, Y_b, activations, loss)
