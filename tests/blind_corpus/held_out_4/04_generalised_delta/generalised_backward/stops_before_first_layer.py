import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = len(x)
    delta = (acts[-1] - t) * acts[-1] * (1 - acts[-1])
    dweights, dbiases = [], []
    for l in range(len(weights) - 1, 0, -1):
        dweights.insert(0, acts[l].T @ delta / m)
        dbiases.insert(0, delta.mean(axis=0))
        delta = (delta @ weights[l].T) * acts[l] * (1 - acts[l])
    return dweights, dbiases
