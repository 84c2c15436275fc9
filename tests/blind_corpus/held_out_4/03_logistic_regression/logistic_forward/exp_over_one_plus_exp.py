import numpy as np


def logistic_forward(w, b, X):
    z = w.T @ X + b
    ez = np.exp(z)
    return z, ez / (1.0 + ez)
