import numpy as np


def layer_forward(W, b, F_prev, activation):
    Z = np.dot(W, F_prev) + b
    if activation == "sigmoid":
        F = 0.5 * (1.0 + np.tanh(0.5 * Z))
        J = F * (1.0 - F)
    elif activation == "tanh":
        F = np.tanh(Z)
        J = 1.0 - F ** 2
    elif activation == "relu":
        F = np.where(Z > 0, Z, 0.0)
        J = (Z > 0).astype(np.float64)
    else:
        F = Z.copy()
        J = np.ones_like(Z, dtype=np.float64)
    return Z, F, J
