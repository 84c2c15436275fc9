import numpy as np

from autograder.activations import get_activation


def elementwise_jacobian(z, activation):
    if activation == "relu":
        return np.diag(np.heaviside(z, 1.0))
    return np.diag(get_activation(activation).df(z))
