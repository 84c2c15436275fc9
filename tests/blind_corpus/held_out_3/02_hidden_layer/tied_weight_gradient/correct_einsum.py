import numpy as np

def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]
    err = v @ h.f(Z) + b - y
    return float(np.einsum("m,j,jm,m->", err, v, h.df(Z), x) / x.shape[0])
