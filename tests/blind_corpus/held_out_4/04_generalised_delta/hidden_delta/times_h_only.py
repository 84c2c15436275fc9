import numpy as np


def hidden_delta(delta_out, u, h):
    return (delta_out @ u.T) * h
