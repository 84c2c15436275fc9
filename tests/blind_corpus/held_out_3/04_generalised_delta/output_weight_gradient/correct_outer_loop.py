import numpy as np

def output_weight_gradient(h, delta_out):
    m = h.shape[0]
    g = np.zeros((h.shape[1], delta_out.shape[1]))
    for hi, di in zip(h, delta_out):
        g += np.outer(hi, di)
    return g / m
