import numpy as np


def hidden_forward(params, X, activation="sigmoid"):
    table = {
        "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0.0),
    }
    Z1 = np.dot(params["W1"], X) + params["b1"]
    A1 = table[activation](Z1)
    y_hat = np.dot(params["W2"], A1) + params["b2"]
    return {"Z1": Z1, "A1": A1, "y_hat": y_hat}
