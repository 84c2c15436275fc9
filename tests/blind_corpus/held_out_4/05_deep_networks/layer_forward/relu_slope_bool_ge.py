import numpy as np

from autograder.activations import get_activation


def layer_forward(W, b, F_prev, activation):
    Z = W @ F_prev + b
    if activation == "relu":
        return Z, np.maximum(Z, 0.0), (Z >= 0).astype(float)
    act = get_activation(activation)
    return Z, act.f(Z), act.df(Z)
