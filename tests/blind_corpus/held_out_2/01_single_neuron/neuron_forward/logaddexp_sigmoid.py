import numpy as np


def neuron_forward(w, b, x):
    z = np.multiply(w, x) + b
    a = np.exp(-np.logaddexp(0.0, -z))
    return z, a
