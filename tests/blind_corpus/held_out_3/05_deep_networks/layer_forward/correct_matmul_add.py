import numpy as np

def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    Z = np.add(np.matmul(W, F_prev), b)
    F = act.f(Z)
    J = act.df(Z)
    return (Z, F, J)
