import numpy as np


def neuron_forward(w, b, x):
    if np.ndim(x) == 0:
        z = float(w) * float(x) + float(b)
        return z, float(sigmoid(z))
    z = w * np.asarray(x, dtype=float) + b
    return z, sigmoid(z)
