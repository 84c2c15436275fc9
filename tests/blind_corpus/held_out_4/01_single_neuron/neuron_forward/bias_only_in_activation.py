import numpy as np

from autograder.activations import sigmoid


def neuron_forward(w, b, x):
    z = w * x
    a = sigmoid(z + b)
    return z, a
