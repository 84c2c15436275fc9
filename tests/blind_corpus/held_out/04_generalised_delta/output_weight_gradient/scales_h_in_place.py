import numpy as np


def output_weight_gradient(h, delta_out):
    h /= h.shape[0]
    return h.T @ delta_out
