import numpy as np

from autograder.activations import get_activation


def elementwise_jacobian(z, activation):
    n = np.size(z)
    J = np.zeros((n, n))
    np.fill_diagonal(J, np.asarray(get_activation(activation).df(z), dtype=float).reshape(n))
    return J
