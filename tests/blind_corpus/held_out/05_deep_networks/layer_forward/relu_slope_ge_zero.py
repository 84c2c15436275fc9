import numpy as np


def layer_forward(W, b, F_prev, activation):
    Z = W @ F_prev + b
    if activation == "relu":
        F = np.maximum(Z, 0.0)
        J = (Z >= 0).astype(float)
    else:
        act = get_activation(activation)
        F, J = act.f(Z), act.df(Z)
    return Z, F, J
