import numpy as np


def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    n = F_prev.shape[1]
    Z = np.empty((W.shape[0], n))
    for i in range(n):
        Z[:, i] = W @ F_prev[:, i] + b[:, 0]
    F = act.f(Z)
    J = act.df(Z)
    return Z, F, J
