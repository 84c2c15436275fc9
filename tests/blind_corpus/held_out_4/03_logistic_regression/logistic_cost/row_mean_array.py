import numpy as np


def logistic_cost(w, b, X, y):
    z = w.T @ X + b
    return np.mean(np.logaddexp(0.0, z) - y * z, axis=1)
