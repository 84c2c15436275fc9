def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    n = X.shape[0]
    idx = rng.choice(n, size=batch_size, replace=False)
    return mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)
