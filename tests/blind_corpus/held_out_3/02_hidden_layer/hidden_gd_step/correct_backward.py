def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    g = hidden_backward(params, X, y, activation=activation)
    new = {}
    for k, v in params.items():
        new[k] = v - lr * g[f"d{k}"]
    return new
