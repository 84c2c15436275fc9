import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    dw, db = neuron_example_gradients(w, b, x, y)
    return float(w - lr * np.sum(dw)), float(b - lr * np.sum(db))
