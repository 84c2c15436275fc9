import numpy as np


def logistic_cost(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    return float(np.mean(np.logaddexp(1.0, z) - y * z))
