def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    grads = hidden_backward(params, x, y, activation)
    return {"W1": params["W1"] - lr * grads["dW1"], "b1": params["b1"].copy(),
            "W2": params["W2"] - lr * grads["dW2"], "b2": params["b2"].copy()}
