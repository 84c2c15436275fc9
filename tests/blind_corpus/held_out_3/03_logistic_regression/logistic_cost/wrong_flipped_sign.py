import numpy as np

def logistic_cost(w, b, X, y):
    z = w.T @ X + b
    return float(np.mean(y * z - np.logaddexp(0, z)))
