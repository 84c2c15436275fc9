import numpy as np

def hidden_delta(delta_out, u, h):
    m, n_hid = h.shape
    out = np.zeros((m, n_hid))
    for j in range(n_hid):
        s = np.zeros(m)
        for k in range(u.shape[1]):
            s += delta_out[:, k] * u[j, k]
        out[:, j] = s * h[:, j] * (1 - h[:, j])
    return out
