import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]
    A = h.f(Z)
    delta = v @ A + b - y
    path0 = delta * v[0] * h.df(Z[0]) * x
    return float(np.mean(path0))
