import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]          # (d, n)
    A = h.f(Z)
    y_hat = v @ A + b                                    # (n,)
    delta = y_hat - y
    paths = delta[np.newaxis, :] * v[:, np.newaxis] * h.df(Z) * x[np.newaxis, :]
    return float(np.mean(paths.sum(axis=0)))
