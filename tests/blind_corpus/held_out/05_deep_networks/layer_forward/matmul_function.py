import numpy as np


def layer_forward(W, b, F_prev, activation):
    activation_fn = get_activation(activation)
    Z = np.add(np.matmul(W, F_prev), b)
    return tuple([Z, activation_fn.f(Z), activation_fn.df(Z)])
