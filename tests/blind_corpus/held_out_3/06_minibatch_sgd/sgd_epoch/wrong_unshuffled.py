import numpy as np

def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    p = params
    for s in range(0, n, batch_size):
        idx = np.arange(s, min(s + batch_size, n))
        g = mlp_gradients(p, X[:, idx], Y[:, idx], activations, loss)
        p = {k: p[k] - lr * g["d" + k] for k in p}
    return p
