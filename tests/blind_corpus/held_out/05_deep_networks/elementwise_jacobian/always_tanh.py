import numpy as np


def elementwise_jacobian(z, activation):
    return np.diag(1.0 - np.tanh(z) ** 2)
