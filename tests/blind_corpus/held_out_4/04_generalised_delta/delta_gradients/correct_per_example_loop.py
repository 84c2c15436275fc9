import numpy as np

from autograder.activations import sigmoid, sigmoid_prime


def delta_gradients(x, t, w, b1, u, b2):
    grads = {"dw": np.zeros_like(w, dtype=float), "db1": np.zeros_like(b1, dtype=float),
             "du": np.zeros_like(u, dtype=float), "db2": np.zeros_like(b2, dtype=float)}
    for x_i, t_i in zip(x, t):
        h = sigmoid(x_i @ w + b1)
        y = sigmoid(h @ u + b2)
        d_out = (y - t_i) * y * (1 - y)
        d_hid = (u @ d_out) * h * (1 - h)
        grads["dw"] += np.outer(x_i, d_hid)
        grads["db1"] += d_hid
        grads["du"] += np.outer(h, d_out)
        grads["db2"] += d_out
    return {k: v / len(x) for k, v in grads.items()}
