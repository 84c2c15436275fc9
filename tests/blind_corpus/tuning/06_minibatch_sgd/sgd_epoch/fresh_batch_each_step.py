import math
import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    p = dict(params)
    for _ in range(math.ceil(n / batch_size)):
        grads = minibatch_gradient(p, X, Y, activations, loss, batch_size, rng)
        p = {k: p[k] - lr * grads["d" + k] for k in p}
    return p
