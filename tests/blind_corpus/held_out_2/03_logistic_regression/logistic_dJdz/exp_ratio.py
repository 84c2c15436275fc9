import numpy as np


def logistic_dJdz(z, y):
    a = np.exp(z) / (1 + np.exp(z))
    return a - y
