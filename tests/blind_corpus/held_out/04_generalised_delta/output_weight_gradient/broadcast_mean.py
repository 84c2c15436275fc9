import numpy as np


def output_weight_gradient(h, delta_out):
    return (h[:, :, None] * delta_out[:, None, :]).mean(axis=0)
