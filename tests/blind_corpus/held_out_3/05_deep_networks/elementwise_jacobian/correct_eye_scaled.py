import numpy as np

def elementwise_jacobian(z, activation):
    z = np.asarray(z, dtype=float)
    slopes = get_activation(activation).df(z)
    return np.eye(z.size) * slopes[np.newaxis, :]
