import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    dw, db = neuron_example_gradients(w, b, x, y)
    m = len(x)
    return float(w - lr * np.sum(dw) / (m - 1)), float(b - lr * np.sum(db) / (m - 1))
