import numpy as np

from autograder.activations import get_activation


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    total = 0.0
    for x_i, y_i in zip(x, y):
        zs = [w * x_i + c_j for c_j in c]
        y_hat = sum(v_j * float(h.f(z)) for v_j, z in zip(v, zs)) + b
        paths = sum(v_j * float(h.df(z)) * x_i for v_j, z in zip(v, zs))
        total += (y_hat - y_i) * paths
    return float(total / len(x))
