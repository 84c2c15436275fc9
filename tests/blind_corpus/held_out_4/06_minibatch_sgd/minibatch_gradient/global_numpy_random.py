import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    idx = np.random.choice(X.shape[1], size=batch_size, replace=False)
    return mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)
