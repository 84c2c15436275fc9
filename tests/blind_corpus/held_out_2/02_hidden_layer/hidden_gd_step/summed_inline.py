def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    h = get_activation(activation)
    cache = hidden_forward(params, X, activation)
    delta2 = cache["y_hat"] - y
    delta1 = (params["W2"].T @ delta2) * h.df(cache["Z1"])
    grads = {"W1": delta1 @ X.T, "b1": delta1.sum(axis=1, keepdims=True),
             "W2": delta2 @ cache["A1"].T, "b2": delta2.sum(axis=1, keepdims=True)}
    return {k: params[k] - lr * grads[k] for k in grads}
