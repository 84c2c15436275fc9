import numpy as np

def output_delta(y, t):
    return np.multiply(y - t, np.multiply(y, 1.0 - y))
