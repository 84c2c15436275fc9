import numpy as np

def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    p = params
    for idx in np.array_split(order, int(np.ceil(n / batch_size))):
        g = mlp_gradients(p, X[:, idx], Y[:, idx], activations, loss)
        p = {k: p[k] - lr * g["d" + k] for k in p}
    return p
