def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta = cache["y_hat"] - y
    dW2 = delta @ cache["A1"].T
    db2 = delta.sum(axis=1, keepdims=True)
    return dW2, db2
