import numpy as np


def fixed_backward(x, t, w, b1, u, b2):
    grads = delta_gradients(x, t, w, b1, u, b2)
    return {name: np.array(grads[name], dtype=float) for name in ("dw", "db1", "du", "db2")}
