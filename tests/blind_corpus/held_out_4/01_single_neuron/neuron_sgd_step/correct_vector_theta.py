import numpy as np


def neuron_sgd_step(w, b, x_i, y_i, lr):
    theta = np.array([w, b], dtype=float)
    grad = np.array([float(g) for g in neuron_example_gradients(w, b, x_i, y_i)])
    theta = theta - lr * grad
    return float(theta[0]), float(theta[1])
