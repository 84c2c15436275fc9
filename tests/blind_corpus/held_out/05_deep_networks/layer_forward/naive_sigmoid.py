import numpy as np


def layer_forward(W, b, F_prev, activation):
    Z = W @ F_prev + b
    if activation == "sigmoid":
        F = 1.0 / (1.0 + np.exp(-Z))
        J = F * (1.0 - F)
    else:
        act = get_activation(activation)
        F, J = act.f(Z), act.df(Z)
    return Z, F, J
