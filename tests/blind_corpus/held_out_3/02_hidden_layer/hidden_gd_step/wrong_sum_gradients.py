def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    h = get_activation(activation)
    c = hidden_forward(params, X, activation)
    e = c["y_hat"] - y
    d1 = params["W2"].T @ e * h.df(c["Z1"])
    return {"W1": params["W1"] - lr * d1 @ X.T, "b1": params["b1"] - lr * d1.sum(1, keepdims=True),
            "W2": params["W2"] - lr * e @ c["A1"].T, "b2": params["b2"] - lr * e.sum(1, keepdims=True)}
