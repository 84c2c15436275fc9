import numpy as np


def output_weight_gradient(h, delta_out):
    m = h.shape[0]
    return np.einsum("mi,mj->ij", h, delta_out) / m
