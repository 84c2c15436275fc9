import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    dW = delta @ F_prev.T / delta.shape[1]
    db = delta.mean(axis=1)
    delta_prev = None if J_prev is None else (W.T @ delta) * J_prev
    return dW, db, delta_prev
