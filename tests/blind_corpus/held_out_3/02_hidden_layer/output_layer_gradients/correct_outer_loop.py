import numpy as np

def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    A1, y_hat = cache["A1"], cache["y_hat"]
    m = X.shape[1]
    dW2 = np.zeros_like(params["W2"], dtype=float)
    db2 = np.zeros((1, 1))
    for i in range(m):
        delta_i = y_hat[0, i] - y[0, i]
        dW2 += delta_i * A1[:, i][np.newaxis, :]
        db2 += delta_i
    return dW2 / m, db2 / m
