import numpy as np


def hidden_forward(params, X, activation="sigmoid"):
    h = get_activation(activation)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    d, n = W1.shape[0], X.shape[1]
    Z1 = np.zeros((d, n))
    y_hat = np.zeros((1, n))
    for i in range(n):
        for j in range(d):
            Z1[j, i] = W1[j, :] @ X[:, i] + b1[j, 0]
    A1 = h.f(Z1)
    for i in range(n):
        y_hat[0, i] = W2[0, :] @ A1[:, i] + b2[0, 0]
    return {"Z1": Z1, "A1": A1, "y_hat": y_hat}
