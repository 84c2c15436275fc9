import numpy as np

def logistic_forward(w, b, X):
    z = np.einsum("pk,pm->km", w, X) + b
    a = 0.5 * (1.0 + np.tanh(0.5 * z))
    return z, a
