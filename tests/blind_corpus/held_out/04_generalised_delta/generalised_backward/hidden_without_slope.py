import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    L, m = len(weights), x.shape[0]
    dweights, dbiases = [None] * L, [None] * L
    y = acts[-1]
    delta = (y - t) * y * (1 - y)
    for l in range(L - 1, -1, -1):
        dweights[l] = acts[l].T @ delta / m
        dbiases[l] = delta.mean(axis=0)
        delta = delta @ weights[l].T
    return dweights, dbiases
