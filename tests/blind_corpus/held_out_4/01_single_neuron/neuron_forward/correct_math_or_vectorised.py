import math

import numpy as np

from autograder.activations import sigmoid


def neuron_forward(w, b, x):
    if np.ndim(x) == 0:
        z = float(w) * float(x) + float(b)
        if z >= 0:
            a = 1.0 / (1.0 + math.exp(-z))
        else:
            a = math.exp(z) / (1.0 + math.exp(z))
        return z, a
    z = w * np.asarray(x, dtype=float) + b
    return z, sigmoid(z)
