import numpy as np


def neuron_sgd_step(w, b, x_i, y_i, lr):
    theta = np.array([w, b], dtype=float)
    dw, db = neuron_example_gradients(w, b, x_i, y_i)
    theta = theta - lr * np.array([dw, db], dtype=float)
    return theta[0], theta[1]
