import numpy as np


def neuron_gd_step(w, b, x, y, lr):
    z = w * x + b
    a = sigmoid(z)
    delta = (a - y) * sigmoid_prime(a)
    return w - lr * np.mean(delta * x), b - lr * np.mean(delta)
