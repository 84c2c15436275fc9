import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    ones = np.ones((n, 1))
    dW = np.dot(delta, F_prev.T) / n
    db = np.dot(delta, ones) / n
    delta_prev = (W.T.dot(delta)) * J_prev if J_prev is not None else None
    return dW, db, delta_prev
