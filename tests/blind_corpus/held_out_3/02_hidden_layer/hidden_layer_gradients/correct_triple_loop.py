import numpy as np

def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    c = hidden_forward(params, X, activation)
    Z1, y_hat = c["Z1"], c["y_hat"]
    W2 = params["W2"]
    d, p = params["W1"].shape
    m = X.shape[1]
    dW1 = np.zeros((d, p))
    db1 = np.zeros((d, 1))
    for i in range(m):
        err = y_hat[0, i] - y[0, i]
        for j in range(d):
            dj = err * W2[0, j] * h.df(Z1[j, i])
            db1[j, 0] += dj / m
            for k in range(p):
                dW1[j, k] += dj * X[k, i] / m
    return dW1, db1
