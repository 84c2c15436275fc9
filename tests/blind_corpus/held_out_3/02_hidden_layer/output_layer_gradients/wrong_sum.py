def output_layer_gradients(params, X, y, activation="sigmoid"):
    c = hidden_forward(params, X, activation)
    delta = c["y_hat"] - y
    return delta @ c["A1"].T, delta.sum(axis=1, keepdims=True)
