import numpy as np


def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    a = sigmoid(z)
    dL_dz = (a - y) * sigmoid_prime(z)
    return dL_dz, dL_dz * x
