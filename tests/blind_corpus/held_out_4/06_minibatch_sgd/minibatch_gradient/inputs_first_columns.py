import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    idx = rng.choice(X.shape[1], size=batch_size, replace=False)
    return mlp_gradients(params, X[:, :batch_size], Y[:, idx], activations, loss)
