import numpy as np


def logistic_cost(w, b, X, y):
    z = w.T @ X + b
    softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    m = X.shape[1]
    return float(np.sum(softplus - y * z) / m)
