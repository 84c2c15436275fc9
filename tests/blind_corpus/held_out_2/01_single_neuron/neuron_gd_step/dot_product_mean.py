import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    z, a = neuron_forward(w, b, x)
    delta = (a - y) * sigmoid_prime(z)
    m = np.shape(x)[0]
    dJ_dw = np.dot(delta, x) / m
    dJ_db = delta.sum() / m
    return float(w - lr * dJ_dw), float(b - lr * dJ_db)
