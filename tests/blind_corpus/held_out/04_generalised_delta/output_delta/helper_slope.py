import numpy as np


def _slope_from_activation(a):
    """sigma'(z) written with the activation a = sigma(z)."""
    return a * (1 - a)


def output_delta(y, t):
    return (y - t) * _slope_from_activation(y)
