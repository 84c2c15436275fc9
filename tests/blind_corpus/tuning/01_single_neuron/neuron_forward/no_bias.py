import numpy as np


def neuron_forward(w, b, x):
    z = w * x
    a = sigmoid(z)
    return z, a
