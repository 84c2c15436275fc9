def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    m = X.shape[1]
    g = hidden_backward(params, X, y, activation)
    return {k: params[k] - lr / m * g["d" + k] for k in params}
