import numpy as np

from autograder.activations import sigmoid, sigmoid_prime


def output_delta(y, t):
    return (y - t) * sigmoid_prime(y)
