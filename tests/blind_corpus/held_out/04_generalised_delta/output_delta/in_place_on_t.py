import numpy as np


def output_delta(y, t):
    t -= y
    t *= -1.0
    t *= y * (1 - y)
    return t
