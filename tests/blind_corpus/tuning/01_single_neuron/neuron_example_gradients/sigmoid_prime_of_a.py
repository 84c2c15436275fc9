import numpy as np


def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    a = sigmoid(z)
    dL_dz = (a - y) * sigmoid_prime(a)
    return dL_dz * x, dL_dz
