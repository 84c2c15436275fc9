import numpy as np

def layer_forward(W, b, F_prev, activation):
    h = get_activation(activation)
    Z = np.einsum("oi,in->on", W, F_prev) + b
    return Z, h.f(Z), h.df(Z)
