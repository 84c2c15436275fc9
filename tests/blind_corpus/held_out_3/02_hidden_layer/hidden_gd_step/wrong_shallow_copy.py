def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    g = hidden_backward(params, X, y, activation)
    new = dict(params)
    for k in new:
        new[k] -= lr * g["d" + k]
    return new
