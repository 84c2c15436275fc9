import numpy as np


def output_delta(y, t):
    slope = y - np.square(y)
    return np.multiply(np.subtract(y, t), slope)
