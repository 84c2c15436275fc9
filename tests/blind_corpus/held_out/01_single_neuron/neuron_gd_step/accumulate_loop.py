import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    total_w, total_b = 0.0, 0.0
    for x_i, y_i in zip(x, y):
        a_i = sigmoid(w * x_i + b)
        g = (a_i - y_i) * a_i * (1 - a_i)
        total_w += g * x_i
        total_b += g
    n = len(x)
    return w - lr * total_w / n, b - lr * total_b / n
