def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    cache = hidden_forward(params, X, activation)
    m = X.shape[1]
    delta1 = (params["W2"].T @ (cache["y_hat"] - y)) * h.df(cache["Z1"])
    dW1 = (X @ delta1.T).reshape(params["W1"].shape) / m
    return dW1, delta1.mean(axis=1, keepdims=True)
