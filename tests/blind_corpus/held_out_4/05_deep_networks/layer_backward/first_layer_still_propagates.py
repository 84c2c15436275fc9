import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    back = W.T @ delta
    delta_prev = back if J_prev is None else back * J_prev
    return delta @ F_prev.T / n, delta.sum(axis=1, keepdims=True) / n, delta_prev
