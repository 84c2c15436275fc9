import numpy as np


def logistic_cost(w, b, X, y):
    z = w.T @ X + b
    return float(np.mean(np.log(1 + np.exp(z)) - y * z))
