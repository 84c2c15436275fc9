import numpy as np


def hidden_delta(delta_out, u, h):
    out = np.zeros((delta_out.shape[0], u.shape[0]))
    for j in range(u.shape[0]):
        out[:, j] = (delta_out @ u[j]) * h[:, j] * (1.0 - h[:, j])
    return out
