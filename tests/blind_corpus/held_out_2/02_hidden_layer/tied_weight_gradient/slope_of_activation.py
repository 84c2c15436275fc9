import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]
    A = h.f(Z)
    err = v @ A + b - y
    return float(np.mean(err * (v @ (h.df(A) * x[np.newaxis, :]))))
