import numpy as np

from autograder.activations import sigmoid, sigmoid_prime


def generalised_backward(x, t, weights, biases):
    m = x.shape[0]

    def down(l, h_in):
        a = h_in @ weights[l] + biases[l]
        h_out = sigmoid(a)
        if l == len(weights) - 1:
            delta = (h_out - t) * sigmoid_prime(a)
            dws, dbs = [], []
        else:
            dws, dbs, back = down(l + 1, h_out)
            delta = back * sigmoid_prime(a)
        dws = [h_in.T @ delta / m] + dws
        dbs = [delta.sum(axis=0) / m] + dbs
        return dws, dbs, delta @ weights[l].T

    dweights, dbiases, _ = down(0, x)
    return dweights, dbiases
