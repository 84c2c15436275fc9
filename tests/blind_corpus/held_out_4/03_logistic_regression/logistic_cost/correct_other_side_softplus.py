import numpy as np


def logistic_cost(w, b, X, y):
    z = (w.T @ X + b).ravel()
    labels = y.ravel()
    losses = np.logaddexp(0.0, -z) + (1.0 - labels) * z
    return float(losses.sum() / z.size)
