import numpy as np


def output_weight_gradient(h, delta_out):
    return (delta_out.T @ h).T / h.shape[0]
