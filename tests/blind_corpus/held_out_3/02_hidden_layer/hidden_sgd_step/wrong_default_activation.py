def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    g = hidden_backward(params, x, y)
    return {"W1": params["W1"] - lr * g["dW1"], "b1": params["b1"] - lr * g["db1"],
            "W2": params["W2"] - lr * g["dW2"], "b2": params["b2"] - lr * g["db2"]}
