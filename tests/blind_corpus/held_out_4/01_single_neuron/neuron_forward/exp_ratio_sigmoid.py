import numpy as np


def neuron_forward(w, b, x):
    z = w * x + b
    a = np.exp(z) / (1.0 + np.exp(z))
    return z, a
