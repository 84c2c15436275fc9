import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    delta = (acts[-1] - t) * acts[-1] * (1 - acts[-1])
    for l in range(L - 1, -1, -1):
        dweights[l] = acts[l].T @ delta / m
        dbiases[l] = delta.mean(axis=0)
        if l > 0:
            delta = (delta @ weights[l].T) * acts[l] * (1 - acts[l])
    return dweights, dbiases
