import numpy as np


def logistic_cost(w, b, X, y):
    z = w.T @ X + b
    per_example = np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(per_example))
