import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = delta @ F_prev.T / n
    db = delta.mean(axis=1, keepdims=True)
    back = W.T @ delta
    delta_prev = back if J_prev is None else back * J_prev
    return dW, db, delta_prev
