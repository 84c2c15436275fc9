import numpy as np

from autograder.activations import sigmoid


def neuron_example_gradients(w, b, x, y):
    a = sigmoid(w * x + b)
    dw = (a - y) * a * (1 - a) * x
    db = a - y
    return dw, db
