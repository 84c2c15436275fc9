import numpy as np


def hidden_delta(delta_out, u, h):
    m = delta_out.shape[0]
    n_hid = u.shape[0]
    back = np.zeros((m, n_hid))
    for j in range(n_hid):
        back[:, j] = delta_out @ u[j]
    return back * (h * (1.0 - h))
