import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    L, m = len(weights), x.shape[0]
    dweights, dbiases = [None] * L, [None] * L
    delta = output_delta(acts[-1], t)
    for l in range(L - 1, -1, -1):
        dweights[l] = acts[l].T @ delta / m
        dbiases[l] = delta.mean(axis=0)
        if l > 0:
            above = acts[l + 1]
            delta = (delta * above * (1 - above)) @ weights[l].T
    return dweights, dbiases
