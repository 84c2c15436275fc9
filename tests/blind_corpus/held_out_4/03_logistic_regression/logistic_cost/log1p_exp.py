import numpy as np


def logistic_cost(w, b, X, y):
    z = w.T @ X + b
    return float(np.mean(np.log1p(np.exp(z)) - y * z))
