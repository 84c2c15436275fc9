import numpy as np


def hidden_delta(delta_out, u, h):
    return np.einsum("mk,jk->mj", delta_out, u) * h * (1.0 - h)
