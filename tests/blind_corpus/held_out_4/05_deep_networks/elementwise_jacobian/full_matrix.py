import numpy as np

from autograder.activations import get_activation


def elementwise_jacobian(z, activation):
    slopes = get_activation(activation).df(z)
    return np.tile(slopes, (len(z), 1))
