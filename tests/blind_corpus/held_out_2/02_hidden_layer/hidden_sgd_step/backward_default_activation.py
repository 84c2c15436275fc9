def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, x, y)
    return {name: params[name] - lr * grads["d" + name] for name in params}
