import numpy as np

from autograder.activations import get_activation


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    X = x.reshape(1, -1)
    Z = w * X + c.reshape(-1, 1)
    err = v.reshape(1, -1) @ h.f(Z) + b - y.reshape(1, -1)
    per_obs = (v.reshape(1, -1) @ (h.df(Z) * X)) * err
    return per_obs.mean(axis=1, keepdims=True)
