import numpy as np


def output_weight_gradient(h, delta_out):
    m = h.shape[0]
    du = np.zeros((h.shape[1], delta_out.shape[1]))
    for h_i, d_i in zip(h, delta_out):
        du += np.outer(h_i, d_i)
    return du / m
