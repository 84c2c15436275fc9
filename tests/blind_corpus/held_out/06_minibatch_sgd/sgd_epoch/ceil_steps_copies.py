import math
import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    new_params = {k: v.copy() for k, v in params.items()}
    for step in range(math.ceil(n / batch_size)):
        idx = order[step * batch_size:(step + 1) * batch_size]
        grads = mlp_gradients(new_params, X[:, idx], Y[:, idx], activations, loss)
        for k in new_params:
            new_params[k] = new_params[k] - lr * grads[f"d{k}"]
    return new_params
