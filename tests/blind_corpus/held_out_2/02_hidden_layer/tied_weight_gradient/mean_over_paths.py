import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]
    err = v @ h.f(Z) + b - y
    per_path = v[:, np.newaxis] * h.df(Z) * x[np.newaxis, :]     # (d, m)
    return float(np.mean(err * per_path.mean(axis=0)))
