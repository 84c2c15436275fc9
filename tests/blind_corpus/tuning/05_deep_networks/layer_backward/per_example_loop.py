import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = np.zeros(W.shape)
    db = np.zeros((W.shape[0], 1))
    for i in range(n):
        d_i = delta[:, [i]]
        dW += d_i @ F_prev[:, [i]].T
        db += d_i
    dW /= n
    db /= n
    delta_prev = None
    if J_prev is not None:
        delta_prev = np.multiply(np.dot(W.T, delta), J_prev)
    return dW, db, delta_prev
