import numpy as np

def logistic_cost(w, b, X, y):
    z = w.T @ X + b
    return float(np.sum(np.logaddexp(0, z) - y * z))
