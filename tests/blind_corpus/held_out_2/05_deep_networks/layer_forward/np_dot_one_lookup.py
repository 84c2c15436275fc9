import numpy as np


def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    Z = np.dot(W, F_prev) + b
    return Z, act.f(Z), act.df(Z)
