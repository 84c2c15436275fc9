import numpy as np


def output_delta(y, t):
    return np.multiply(np.subtract(y, t), y - y ** 2)
