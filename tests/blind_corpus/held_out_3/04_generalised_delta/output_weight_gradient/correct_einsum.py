import numpy as np

def output_weight_gradient(h, delta_out):
    return np.einsum("mi,mj->ij", h, delta_out) / h.shape[0]
