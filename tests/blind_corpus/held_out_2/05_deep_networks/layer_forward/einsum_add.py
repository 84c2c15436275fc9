import numpy as np


def layer_forward(W, b, F_prev, activation):
    sigma = get_activation(activation).f
    sigma_prime = get_activation(activation).df
    Z = np.add(np.einsum("oi,in->on", W, F_prev), b)
    F = sigma(Z)
    J = sigma_prime(Z)
    return Z, F, J
