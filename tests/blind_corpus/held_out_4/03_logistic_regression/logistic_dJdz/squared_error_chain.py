import numpy as np

from autograder.activations import sigmoid


def logistic_dJdz(z, y):
    a = sigmoid(z)
    return (a - y) * a * (1 - a)
