import numpy as np


def hidden_delta(delta_out, u, h):
    out = np.empty_like(h, dtype=float)
    for i in range(h.shape[0]):
        out[i] = (u @ delta_out[i]) * h[i] * (1 - h[i])
    return out
