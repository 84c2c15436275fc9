import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]
    A = h.f(Z)
    delta = v @ A + b - y
    paths = delta * v[:, np.newaxis] * h.df(Z) * x
    return float(np.sum(paths))
