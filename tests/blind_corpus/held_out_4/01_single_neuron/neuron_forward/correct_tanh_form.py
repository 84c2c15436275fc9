import numpy as np


def neuron_forward(w, b, x):
    z = w * x + b
    a = 0.5 * (1.0 + np.tanh(0.5 * z))
    return z, a
