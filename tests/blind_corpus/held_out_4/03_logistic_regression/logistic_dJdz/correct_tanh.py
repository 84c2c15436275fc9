import numpy as np


def logistic_dJdz(z, y):
    return 0.5 * (1.0 + np.tanh(0.5 * z)) - y
