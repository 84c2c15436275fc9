import numpy as np


def output_delta(y, t):
    return -(t - y) * y * (1.0 - y)
