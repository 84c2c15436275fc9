def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    current = dict(params)
    for k in range(n // batch_size):
        idx = order[k * batch_size:(k + 1) * batch_size]
        grads = mlp_gradients(current, X[:, idx], Y[:, idx], activations, loss)
        current = {name: current[name] - lr * grads["d" + name] for name in current}
    return current
