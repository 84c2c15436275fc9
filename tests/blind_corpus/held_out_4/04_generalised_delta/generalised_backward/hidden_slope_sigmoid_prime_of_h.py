import numpy as np

from autograder.activations import sigmoid, sigmoid_prime


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = len(x)
    L = len(weights)
    delta = (acts[-1] - t) * acts[-1] * (1 - acts[-1])
    dweights, dbiases = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        dweights[l] = acts[l].T @ delta / m
        dbiases[l] = delta.mean(axis=0)
        delta = (delta @ weights[l].T) * sigmoid_prime(acts[l])
    return dweights, dbiases
