def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    m = X.shape[1]
    grads = hidden_backward(params, X, y, activation)
    return {name: params[name] - (lr / m) * grads["d" + name] for name in params}
