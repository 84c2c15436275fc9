import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    z = w * x + b
    delta = (sigmoid(z) - y) * sigmoid_prime(z)
    n = len(x)
    dw = np.dot(delta, x) / n
    db = delta.sum() / n
    return float(w - lr * dw), float(b - lr * db)
