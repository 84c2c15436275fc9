def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    dW1, db1 = hidden_layer_gradients(params, X, y, activation)
    dW2, db2 = output_layer_gradients(params, X, y, activation)
    new_params = {}
    for name, grad in (("W1", dW1), ("b1", db1), ("W2", dW2), ("b2", db2)):
        new_params[name] = params[name] - lr * grad
    return new_params
