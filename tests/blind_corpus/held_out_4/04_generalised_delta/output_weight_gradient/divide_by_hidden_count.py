import numpy as np


def output_weight_gradient(h, delta_out):
    return h.T @ delta_out / h.shape[1]
