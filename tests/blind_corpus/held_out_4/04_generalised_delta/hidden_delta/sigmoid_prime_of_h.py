import numpy as np

from autograder.activations import sigmoid, sigmoid_prime


def hidden_delta(delta_out, u, h):
    return (delta_out @ u.T) * sigmoid_prime(h)
