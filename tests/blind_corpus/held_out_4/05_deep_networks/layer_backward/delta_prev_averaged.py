import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = delta @ F_prev.T / n
    db = delta.sum(axis=1, keepdims=True) / n
    delta_prev = None if J_prev is None else (W.T @ delta) * J_prev / n
    return dW, db, delta_prev
