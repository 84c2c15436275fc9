import numpy as np


def logistic_cost(w, b, X, y):
    z, a = logistic_forward(w, b, X)
    return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))
