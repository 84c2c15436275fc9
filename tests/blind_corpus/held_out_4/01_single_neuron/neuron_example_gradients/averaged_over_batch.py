import numpy as np

from autograder.activations import sigmoid


def neuron_example_gradients(w, b, x, y):
    a = sigmoid(w * x + b)
    delta = (a - y) * a * (1 - a)
    return np.mean(delta * x), np.mean(delta)
