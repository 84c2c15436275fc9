import numpy as np


def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    a = sigmoid(z)
    dL_dz = (a - y) * sigmoid_prime(z)
    dw = dL_dz * x
    db = dL_dz * 1.0
    return dw, db
