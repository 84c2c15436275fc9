import numpy as np

def elementwise_jacobian(z, activation):
    return np.diag(get_activation(activation).f(z))
