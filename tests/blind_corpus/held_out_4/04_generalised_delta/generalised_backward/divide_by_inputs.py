import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    n = x.shape[1]
    delta = (acts[-1] - t) * acts[-1] * (1 - acts[-1])
    dweights, dbiases = [], []
    for l in reversed(range(len(weights))):
        dweights.insert(0, acts[l].T @ delta / n)
        dbiases.insert(0, delta.sum(axis=0) / n)
        delta = (delta @ weights[l].T) * acts[l] * (1 - acts[l])
    return dweights, dbiases
