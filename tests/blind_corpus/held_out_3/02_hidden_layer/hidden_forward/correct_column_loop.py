import numpy as np

def hidden_forward(params, X, activation="sigmoid"):
    h = get_activation(activation)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[1]
    Z1 = np.zeros((W1.shape[0], m))
    for i in range(m):
        Z1[:, i] = np.dot(W1, X[:, i]) + b1[:, 0]
    A1 = h.f(Z1)
    y_hat = np.zeros((1, m))
    for i in range(m):
        y_hat[0, i] = np.dot(W2[0], A1[:, i]) + b2[0, 0]
    return {"Z1": Z1, "A1": A1, "y_hat": y_hat}
