import numpy as np


def layer_backward(delta, W, F_prev, J_prev):
    n = F_prev.shape[0]
    delta_prev = None if J_prev is None else (W.T @ delta) * J_prev
    return delta @ F_prev.T / n, delta.sum(axis=1, keepdims=True) / n, delta_prev
