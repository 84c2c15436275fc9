import numpy as np


def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    Z = F_prev.T @ W.T + b.T
    return Z, act.f(Z), act.df(Z)
