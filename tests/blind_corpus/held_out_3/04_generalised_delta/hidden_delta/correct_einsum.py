import numpy as np

def hidden_delta(delta_out, u, h):
    back = np.einsum("mk,jk->mj", delta_out, u)
    return back * h * (1.0 - h)
