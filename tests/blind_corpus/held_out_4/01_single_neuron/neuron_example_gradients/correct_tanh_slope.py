import numpy as np


def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    t = np.tanh(z / 2.0)
    a = 0.5 * (1.0 + t)
    slope = 0.25 * (1.0 - t * t)
    dz = (a - y) * slope
    return dz * x, dz
