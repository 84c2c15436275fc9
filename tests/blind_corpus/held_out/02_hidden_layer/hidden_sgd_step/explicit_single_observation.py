import numpy as np


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    h = get_activation(activation)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = W1 @ x + b1                    # (d, 1)
    a1 = h.f(z1)
    y_hat = W2 @ a1 + b2                # (1, 1)
    err = (y_hat - y).item()
    delta1 = err * W2.T * h.df(z1)      # (d, 1)
    return {
        "W1": W1 - lr * delta1 @ x.T,
        "b1": b1 - lr * delta1,
        "W2": W2 - lr * err * a1.T,
        "b2": b2 - lr * err,
    }
