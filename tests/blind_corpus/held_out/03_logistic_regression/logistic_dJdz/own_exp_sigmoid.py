import numpy as np


def logistic_dJdz(z, y):
    return 1.0 / (1.0 + np.exp(-z)) - y
