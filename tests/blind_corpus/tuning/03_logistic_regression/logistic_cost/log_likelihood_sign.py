import numpy as np


def logistic_cost(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    return float(np.mean(y * z - np.logaddexp(0.0, z)))
