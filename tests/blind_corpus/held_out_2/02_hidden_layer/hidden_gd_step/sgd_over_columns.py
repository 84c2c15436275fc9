def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    current = params
    for i in range(X.shape[1]):
        current = hidden_sgd_step(current, X[:, [i]], y[:, [i]], lr, activation)
    return current
