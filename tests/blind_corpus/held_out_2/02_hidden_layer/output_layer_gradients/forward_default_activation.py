def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X)
    m = X.shape[1]
    delta = cache["y_hat"] - y
    dW2 = delta @ cache["A1"].T / m
    db2 = delta.mean(axis=1, keepdims=True)
    return dW2, db2
