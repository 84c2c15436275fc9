import numpy as np

from autograder.activations import get_activation


def elementwise_jacobian(z, activation):
    return np.diag(get_activation(activation).f(z))
