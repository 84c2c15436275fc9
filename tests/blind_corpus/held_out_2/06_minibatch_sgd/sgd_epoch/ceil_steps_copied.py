import numpy as np


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    n_steps = -(-n // batch_size)
    theta = {name: np.array(value, dtype=float, copy=True) for name, value in params.items()}
    for step in range(n_steps):
        batch = order[step * batch_size:(step + 1) * batch_size]
        g = mlp_gradients(theta, X[:, batch], Y[:, batch], activations, loss)
        for name in theta:
            theta[name] = theta[name] - lr * g["d" + name]
    return theta
