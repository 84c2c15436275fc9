import numpy as np


def layer_forward(W, b, F_prev, activation):
    Z = np.einsum("ij,jn->in", W, F_prev) + np.reshape(b, (-1, 1))
    fn = get_activation(activation)
    F = fn.f(Z)
    J = fn.df(Z)
    return Z, F, J
