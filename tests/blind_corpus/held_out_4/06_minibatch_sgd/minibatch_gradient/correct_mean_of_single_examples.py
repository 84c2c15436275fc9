import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    chosen = rng.choice(X.shape[1], size=batch_size, replace=False)
    total = None
    for i in chosen:
        g = mlp_gradients(params, X[:, [i]], Y[:, [i]], activations, loss)
        total = g if total is None else {k: total[k] + g[k] for k in g}
    return {k: v / batch_size for k, v in total.items()}
