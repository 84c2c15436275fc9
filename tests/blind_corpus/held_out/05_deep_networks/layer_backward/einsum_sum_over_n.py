import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = F_prev.shape[1]
    dW = np.einsum("in,jn->ij", delta, F_prev) / n
    db = np.sum(delta, axis=1).reshape(-1, 1) / n
    if J_prev is None:
        return dW, db, None
    delta_prev = np.einsum("ij,in->jn", W, delta) * J_prev
    return dW, db, delta_prev
