import numpy as np

from autograder.activations import sigmoid


def neuron_forward(w, b, x):
    z = x
    z *= w
    z += b
    return z, sigmoid(z)
