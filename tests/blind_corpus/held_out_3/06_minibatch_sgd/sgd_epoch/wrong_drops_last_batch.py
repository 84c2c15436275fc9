def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    p = params
    for k in range(n // batch_size):
        idx = order[k * batch_size:(k + 1) * batch_size]
        g = mlp_gradients(p, X[:, idx], Y[:, idx], activations, loss)
        p = {name: p[name] - lr * g["d" + name] for name in p}
    return p
