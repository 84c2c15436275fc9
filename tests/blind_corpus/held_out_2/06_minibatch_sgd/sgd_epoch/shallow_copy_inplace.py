def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    new = dict(params)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        grads = mlp_gradients(new, X[:, idx], Y[:, idx], activations, loss)
        for k in new:
            new[k] -= lr * grads["d" + k]
    return new
