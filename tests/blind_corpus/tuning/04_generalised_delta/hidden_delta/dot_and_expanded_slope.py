import numpy as np


def hidden_delta(delta_out, u, h):
    back = np.dot(delta_out, u.T)
    return back * (h - h ** 2)
