import numpy as np


def neuron_forward(w, b, x):
    z = w * x
    a = sigmoid(z) + b
    return z, a
