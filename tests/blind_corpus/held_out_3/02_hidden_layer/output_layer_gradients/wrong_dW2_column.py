def output_layer_gradients(params, X, y, activation="sigmoid"):
    c = hidden_forward(params, X, activation)
    delta = c["y_hat"] - y
    m = X.shape[1]
    return c["A1"] @ delta.T / m, delta.sum(axis=1, keepdims=True) / m
