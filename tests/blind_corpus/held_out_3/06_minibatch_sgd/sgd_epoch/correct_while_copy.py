import math
import numpy as np

def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    perm = rng.permutation(n)
    new = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
    steps = math.ceil(n / batch_size)
    k = 0
    while k < steps:
        cols = perm[k * batch_size:min(n, (k + 1) * batch_size)]
        grads = mlp_gradients(new, X[:, cols], Y[:, cols], activations, loss)
        for name in new:
            new[name] = np.subtract(new[name], lr * grads[f"d{name}"])
        k += 1
    return new
