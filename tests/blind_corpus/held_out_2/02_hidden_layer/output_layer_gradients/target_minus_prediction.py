def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    m = X.shape[1]
    delta = y - cache["y_hat"]
    return delta @ cache["A1"].T / m, delta.mean(axis=1, keepdims=True)
