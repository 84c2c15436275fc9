import numpy as np


def hidden_delta(delta_out, u, h):
    dL_dh = np.zeros_like(h, dtype=float)
    for k in range(delta_out.shape[1]):
        dL_dh += delta_out[:, [k]] * u[:, k]
    return dL_dh * h * (1 - h)
