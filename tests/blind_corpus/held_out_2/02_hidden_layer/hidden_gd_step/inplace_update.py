def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, X, y, activation)
    for name in ("W1", "b1", "W2", "b2"):
        params[name] -= lr * grads["d" + name]
    return params
