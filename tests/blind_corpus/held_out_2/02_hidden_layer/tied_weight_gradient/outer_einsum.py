import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    act = get_activation(activation)
    Z = np.add.outer(c, w * x)                 # Z[j, i] = w x_i + c_j
    err = v @ act.f(Z) + b - y                 # (m,)
    return float(np.einsum("i,j,ji,i->", err, v, act.df(Z), x) / x.size)
