import numpy as np


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    n = X.shape[1]
    idx = rng.choice(n, size=batch_size, replace=False)
    per_example = [mlp_gradients(params, X[:, [i]], Y[:, [i]], activations, loss) for i in idx]
    return {name: np.mean([g[name] for g in per_example], axis=0) for name in per_example[0]}
