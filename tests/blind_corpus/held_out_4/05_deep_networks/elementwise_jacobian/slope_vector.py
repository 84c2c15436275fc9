import numpy as np

from autograder.activations import get_activation


def elementwise_jacobian(z, activation):
    return get_activation(activation).df(z)
