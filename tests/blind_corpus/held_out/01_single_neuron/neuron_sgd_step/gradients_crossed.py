import numpy as np


def neuron_sgd_step(w, b, x_i, y_i, lr):
    dw, db = neuron_example_gradients(w, b, x_i, y_i)
    new_w = w - lr * db
    new_b = b - lr * dw
    return new_w, new_b
