import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = np.einsum("jn,kn->jk", delta, F_prev) / n
    db = np.mean(delta, axis=1, keepdims=True)
    delta_prev = None if J_prev is None else np.einsum("jk,jn->kn", W, delta) * J_prev
    return dW, db, delta_prev
