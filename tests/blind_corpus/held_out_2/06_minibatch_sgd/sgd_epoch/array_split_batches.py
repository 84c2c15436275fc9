import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    current = dict(params)
    for idx in np.array_split(order, int(np.ceil(n / batch_size))):
        grads = mlp_gradients(current, X[:, idx], Y[:, idx], activations, loss)
        current = {k: current[k] - lr * grads["d" + k] for k in current}
    return current
