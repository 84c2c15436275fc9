import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = np.zeros((delta.shape[0], F_prev.shape[0]))
    db = np.zeros((delta.shape[0], 1))
    for i in range(n):
        dW += np.outer(delta[:, i], F_prev[:, i])
        db[:, 0] += delta[:, i]
    if J_prev is None:
        return dW / n, db / n, None
    return dW / n, db / n, np.dot(W.T, delta) * J_prev
