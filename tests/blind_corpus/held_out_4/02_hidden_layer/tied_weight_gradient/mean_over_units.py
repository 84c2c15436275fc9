import numpy as np

from autograder.activations import get_activation


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]
    err = v @ h.f(Z) + b - y
    paths = v[:, np.newaxis] * h.df(Z) * x[np.newaxis, :] * err[np.newaxis, :]
    return float(np.mean(np.mean(paths, axis=0)))
