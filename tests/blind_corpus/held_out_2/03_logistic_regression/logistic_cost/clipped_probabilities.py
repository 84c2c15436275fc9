import numpy as np


def logistic_cost(w, b, X, y):
    z = w.T @ X + b
    a = np.clip(sigmoid(z), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))
