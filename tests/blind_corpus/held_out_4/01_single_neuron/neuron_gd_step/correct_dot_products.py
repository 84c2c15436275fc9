import numpy as np

from autograder.activations import sigmoid


def neuron_gd_step(w, b, x, y, lr):
    a = sigmoid(w * x + b)
    delta = (a - y) * a * (1.0 - a)
    m = x.size
    dw = np.dot(delta, x) / m
    db = delta.sum() / m
    return float(w - lr * dw), float(b - lr * db)
