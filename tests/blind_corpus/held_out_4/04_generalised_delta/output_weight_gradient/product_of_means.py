import numpy as np


def output_weight_gradient(h, delta_out):
    return np.outer(h.mean(axis=0), delta_out.mean(axis=0))
