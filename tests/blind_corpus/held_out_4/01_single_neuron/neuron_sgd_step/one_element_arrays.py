import numpy as np


def neuron_sgd_step(w, b, x_i, y_i, lr):
    x = np.array([x_i], dtype=float)
    y = np.array([y_i], dtype=float)
    dw, db = neuron_example_gradients(w, b, x, y)
    return w - lr * dw, b - lr * db
