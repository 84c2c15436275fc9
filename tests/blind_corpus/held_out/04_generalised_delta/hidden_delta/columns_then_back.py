import numpy as np


def hidden_delta(delta_out, u, h):
    dL_dh_columns = u @ delta_out.T  # (n_hid, m)
    return dL_dh_columns.T * h * (1 - h)
