import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = delta @ F_prev.T / n
    db = delta.mean(axis=1, keepdims=True)
    if J_prev is None:
        return dW, db, None
    J_prev *= W.T @ delta
    return dW, db, J_prev
