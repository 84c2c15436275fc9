import numpy as np


def neuron_example_gradients(w, b, x, y):
    z = np.multiply(w, x) + b
    dyhat_dz = sigmoid(z) * sigmoid(-z)
    dL_dz = (sigmoid(z) - y) * dyhat_dz
    dz_dw = x
    dz_db = np.ones_like(z)
    return dL_dz * dz_dw, dL_dz * dz_db
