import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    x = np.asarray(x, dtype=float)
    z, a = neuron_forward(w, b, x)
    dL_dz = (a - y) * a * (1 - a)
    grad_w = np.average(dL_dz * x)
    grad_b = np.average(dL_dz)
    return float(w - lr * grad_w), float(b - lr * grad_b)
