import numpy as np


def logistic_cost(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    return float(np.mean(np.log(1 + np.exp(z)) - y * z))
