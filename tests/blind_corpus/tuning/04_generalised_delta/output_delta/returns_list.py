import numpy as np


def output_delta(y, t):
    delta = (y - t) * y * (1 - y)
    return delta.tolist()
