def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    c = hidden_forward(params, X, activation)
    delta1 = params["W2"].T * (c["y_hat"] - y) * h.df(c["Z1"])
    m = X.shape[1]
    return delta1 @ X.T / m, delta1.sum(axis=1, keepdims=True)
