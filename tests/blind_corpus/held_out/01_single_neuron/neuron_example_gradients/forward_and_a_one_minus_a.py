import numpy as np


def neuron_example_gradients(w, b, x, y):
    z, a = neuron_forward(w, b, x)
    delta = (a - y) * a * (1.0 - a)
    dw = delta * x
    db = delta * np.ones_like(z)
    return dw, db
