import numpy as np


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    act = get_activation(activation)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[1]
    Z1 = np.matmul(W1, X) + b1
    A1 = act.f(Z1)
    err = np.matmul(W2, A1) + b2 - y                 # (1, n)
    D1 = np.matmul(W2.T, err) * act.df(Z1)           # (d, n)
    return {
        "W1": W1 - lr * np.matmul(D1, X.T) / n,
        "b1": b1 - lr * D1.mean(axis=1, keepdims=True),
        "W2": W2 - lr * np.matmul(err, A1.T) / n,
        "b2": b2 - lr * err.mean(axis=1, keepdims=True),
    }
