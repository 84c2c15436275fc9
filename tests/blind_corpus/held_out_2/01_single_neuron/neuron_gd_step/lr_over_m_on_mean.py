import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    m = len(x)
    dw, db = neuron_example_gradients(w, b, x, y)
    return float(w - lr / m * np.mean(dw)), float(b - lr / m * np.mean(db))
