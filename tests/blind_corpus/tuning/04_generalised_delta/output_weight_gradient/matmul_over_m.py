import numpy as np


def output_weight_gradient(h, delta_out):
    m = h.shape[0]
    return np.dot(h.T, delta_out) / m
