import numpy as np

def neuron_forward(w, b, x):
    x = np.atleast_1d(np.asarray(x, dtype=float))
    z = w * x + b
    a = sigmoid(z)
    return z, a
