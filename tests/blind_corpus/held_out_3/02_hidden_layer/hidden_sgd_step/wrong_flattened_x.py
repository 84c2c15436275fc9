import numpy as np

def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    h = get_activation(activation)
    x = np.ravel(x)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = W1 @ x + b1            # (d, d) by broadcasting
    a1 = h.f(z1)
    y_hat = W2 @ a1 + b2
    e = y_hat - y
    delta1 = (W2.T @ e) * h.df(z1)
    m = z1.shape[1]
    gW1 = np.outer(delta1.mean(axis=1), x)
    gb1 = delta1.mean(axis=1, keepdims=True)
    gW2 = e @ a1.T / m
    gb2 = e.mean(axis=1, keepdims=True)
    return {"W1": W1 - lr * gW1, "b1": b1 - lr * gb1, "W2": W2 - lr * gW2, "b2": b2 - lr * gb2}
