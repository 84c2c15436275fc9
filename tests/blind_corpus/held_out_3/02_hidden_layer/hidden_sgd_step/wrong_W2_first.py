def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    dW2, db2 = output_layer_gradients(params, x, y, activation)
    new = dict(params)
    new["W2"] = params["W2"] - lr * dW2
    new["b2"] = params["b2"] - lr * db2
    dW1, db1 = hidden_layer_gradients(new, x, y, activation)
    new["W1"] = params["W1"] - lr * dW1
    new["b1"] = params["b1"] - lr * db1
    return new
