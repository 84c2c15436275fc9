import numpy as np


def output_delta(y, t):
    return 0.5 * (y - t) * y * (1 - y)
