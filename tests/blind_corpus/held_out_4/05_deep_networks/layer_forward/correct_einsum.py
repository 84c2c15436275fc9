import numpy as np

from autograder.activations import get_activation


def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    Z = np.einsum("oi,in->on", W, F_prev) + b
    return Z, act.f(Z), act.df(Z)
