import numpy as np


def logistic_cost(w, b, X, y):
    z = np.dot(w.T, X) + b
    log_likelihood = y * z - np.logaddexp(0.0, z)
    return -float(np.mean(log_likelihood))
