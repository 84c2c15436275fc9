def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, x, y, activation)
    new = params.copy()
    for name in new:
        new[name] -= lr * grads["d" + name]
    return new
