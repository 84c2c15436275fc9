def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    n = X.shape[1]
    order = rng.permutation(n)
    current = dict(params)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        grads = mlp_gradients(current, X[:, idx], Y[:, idx], activations, loss)
        current = {k: current[k] - lr * grads[f"d{k}"] for k in current}
    return current
