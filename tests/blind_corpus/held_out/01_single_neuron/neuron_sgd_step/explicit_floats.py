import numpy as np


def neuron_sgd_step(w, b, x_i, y_i, lr):
    a = float(sigmoid(w * x_i + b))
    g = (a - y_i) * a * (1.0 - a)
    new_w = w - lr * g * x_i
    new_b = b - lr * g
    return float(new_w), float(new_b)
