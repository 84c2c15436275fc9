import numpy as np


def logistic_dJdz(z, y):
    return sigmoid(z) - y
