import numpy as np


def output_delta(y, t):
    return (y - t) * y * (1 - y) / y.shape[0]
