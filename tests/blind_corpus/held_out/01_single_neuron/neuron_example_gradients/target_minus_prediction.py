import numpy as np


def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    y_hat = sigmoid(z)
    dL_dz = (y - y_hat) * sigmoid_prime(z)
    return dL_dz * x, dL_dz
