def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, x, y, activation)
    return {name: params[name] - lr * grads["d" + name] for name in ("W1", "b1", "W2", "b2")}
