import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    dw, db = neuron_example_gradients(w, b, x, y)
    theta = np.array([w, b], dtype=float)
    gradient = np.array([np.mean(db), np.mean(dw)])
    theta = theta - lr * gradient
    return float(theta[0]), float(theta[1])
