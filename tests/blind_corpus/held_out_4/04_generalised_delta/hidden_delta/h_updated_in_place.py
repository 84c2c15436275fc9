import numpy as np


def hidden_delta(delta_out, u, h):
    back = delta_out @ u.T
    h *= 1 - h
    return back * h
