import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    dw, db = neuron_example_gradients(w, b, x, y)
    eta = lr / len(x)
    return float(w - eta * np.mean(dw)), float(b - eta * np.mean(db))
