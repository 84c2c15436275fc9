def output_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    c = hidden_forward(params, X, activation)
    delta = (c["y_hat"] - y) * h.df(c["y_hat"])
    m = X.shape[1]
    return delta @ c["A1"].T / m, delta.sum(axis=1, keepdims=True) / m
