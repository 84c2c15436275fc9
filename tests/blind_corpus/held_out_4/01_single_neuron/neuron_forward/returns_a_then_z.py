import numpy as np

from autograder.activations import sigmoid


def neuron_forward(w, b, x):
    z = w * x + b
    a = sigmoid(z)
    return a, z
