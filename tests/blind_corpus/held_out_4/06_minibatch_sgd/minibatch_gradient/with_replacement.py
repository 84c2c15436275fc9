import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    idx = rng.choice(X.shape[1], size=batch_size)
    return mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)
