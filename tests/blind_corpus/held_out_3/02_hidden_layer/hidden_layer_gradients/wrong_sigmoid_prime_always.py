def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    c = hidden_forward(params, X, activation)
    delta1 = params["W2"].T * (c["y_hat"] - y) * sigmoid_prime(c["Z1"])
    m = X.shape[1]
    return delta1 @ X.T / m, delta1.sum(axis=1, keepdims=True) / m
