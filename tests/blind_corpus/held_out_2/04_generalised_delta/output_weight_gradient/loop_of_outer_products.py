import numpy as np


def output_weight_gradient(h, delta_out):
    total = np.zeros((h.shape[1], delta_out.shape[1]))
    for h_row, d_row in zip(h, delta_out):
        total += np.outer(h_row, d_row)
    return total / len(h)
