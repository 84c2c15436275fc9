import numpy as np

from autograder.activations import get_activation


def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    Z = W @ F_prev + b
    if activation == "relu":
        F = Z
        F[F < 0] = 0.0
    else:
        F = act.f(Z)
    return Z, F, act.df(Z)
