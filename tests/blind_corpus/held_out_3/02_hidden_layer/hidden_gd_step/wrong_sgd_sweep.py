def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    m = X.shape[1]
    p = params
    for i in range(m):
        p = hidden_sgd_step(p, X[:, [i]], y[:, [i]], lr / m, activation)
    return p
