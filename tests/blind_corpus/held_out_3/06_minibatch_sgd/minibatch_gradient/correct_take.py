import numpy as np

def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    n = X.shape[1]
    idx = rng.choice(n, size=batch_size, replace=False)
    return mlp_gradients(params, np.take(X, idx, axis=1), np.take(Y, idx, axis=1),
                         activations, loss)
