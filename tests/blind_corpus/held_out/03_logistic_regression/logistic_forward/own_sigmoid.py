import numpy as np


def logistic_forward(w, b, X):
    z = w.T @ X + b
    a = 1 / (1 + np.exp(-z))
    return z, a
