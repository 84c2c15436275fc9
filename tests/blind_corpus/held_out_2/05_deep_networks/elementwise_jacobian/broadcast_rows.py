import numpy as np


def elementwise_jacobian(z, activation):
    slopes = get_activation(activation).df(z)
    return np.ones((z.size, z.size)) * slopes
