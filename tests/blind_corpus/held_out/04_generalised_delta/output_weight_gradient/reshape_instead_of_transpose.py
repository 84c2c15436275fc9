import numpy as np


def output_weight_gradient(h, delta_out):
    m = h.shape[0]
    g = delta_out.T @ h / m
    return g.reshape(h.shape[1], delta_out.shape[1])
