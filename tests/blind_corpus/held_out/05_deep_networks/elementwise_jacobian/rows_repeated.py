import numpy as np


def elementwise_jacobian(z, activation):
    slopes = get_activation(activation).df(z)
    return np.tile(slopes, (len(z), 1))
