def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    for s in range(0, n, batch_size):
        idx = order[s:s + batch_size]
        g = mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)
        for k in params:
            params[k] -= lr * g["d" + k]
    return params
