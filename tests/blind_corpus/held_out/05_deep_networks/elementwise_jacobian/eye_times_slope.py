import numpy as np


def elementwise_jacobian(z, activation):
    z = np.asarray(z, dtype=float).ravel()
    slopes = get_activation(activation).df(z)
    return np.eye(z.size) * slopes[:, None]
