import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    dw, _ = neuron_example_gradients(w, b, x, y)
    w = w - lr * np.mean(dw)
    _, db = neuron_example_gradients(w, b, x, y)
    b = b - lr * np.mean(db)
    return float(w), float(b)
