import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = np.dot(delta, F_prev.T) / n
    db = np.mean(delta, axis=1, keepdims=True)
    if J_prev is None:
        return dW, db, None
    return dW, db, np.multiply(W.T @ delta, J_prev)
