def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    batch = rng.choice(X.shape[1], size=batch_size, replace=False)
    total = None
    for k in batch:
        g = mlp_gradients(params, X[:, [k]], Y[:, [k]], activations, loss)
        total = g if total is None else {key: total[key] + g[key] for key in g}
    return {key: value / batch_size for key, value in total.items()}
