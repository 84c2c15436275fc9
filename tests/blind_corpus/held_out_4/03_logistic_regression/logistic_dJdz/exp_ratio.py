import numpy as np


def logistic_dJdz(z, y):
    e = np.exp(z)
    return e / (1 + e) - y
