def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    h = get_activation(activation)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = W1 @ x + b1                 # (d, 1)
    a1 = h.f(z1)
    y_hat = W2 @ a1 + b2             # (1, 1)
    err = y_hat - y                  # (1, 1)
    dW2 = err * a1.T                 # (1, d)
    db2 = err
    delta1 = W2.T * err * h.df(z1)   # (d, 1)
    dW1 = delta1 @ x.T               # (d, p)
    db1 = delta1
    return {"W1": W1 - lr * dW1, "b1": b1 - lr * db1,
            "W2": W2 - lr * dW2, "b2": b2 - lr * db2}
