import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = F_prev.shape[1]
    dW = np.einsum("kn,qn->kq", delta, F_prev) / n
    db = delta.sum(axis=1)[:, np.newaxis] / n
    delta_prev = None if J_prev is None else J_prev * np.einsum("kq,kn->qn", W, delta)
    return dW, db, delta_prev
