import numpy as np

def neuron_forward(w, b, x):
    z = w * x + b
    e = np.exp(-np.abs(z))
    a = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if np.ndim(z) == 0:
        a = float(a)
    return z, a
