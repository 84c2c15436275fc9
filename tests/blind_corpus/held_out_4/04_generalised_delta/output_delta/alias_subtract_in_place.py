import numpy as np


def output_delta(y, t):
    slope = y * (1 - y)
    delta = y
    delta -= t
    delta *= slope
    return delta
