import numpy as np


def output_delta(y, t):
    dL_dy = y - t
    dy_da = y * (1.0 - y)
    return dL_dy * dy_da
