import numpy as np

from autograder.activations import get_activation


def elementwise_jacobian(z, activation):
    slopes = get_activation(activation).df(z)
    return np.eye(z.shape[0]) * slopes
