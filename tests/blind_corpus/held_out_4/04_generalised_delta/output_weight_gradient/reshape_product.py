import numpy as np


def output_weight_gradient(h, delta_out):
    du = delta_out.T @ h
    return du.reshape(h.shape[1], delta_out.shape[1]) / h.shape[0]
