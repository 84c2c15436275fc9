import numpy as np


def output_delta(y, t):
    slope = np.multiply(y, np.subtract(1.0, y))
    return np.negative(np.subtract(t, y)) * slope
