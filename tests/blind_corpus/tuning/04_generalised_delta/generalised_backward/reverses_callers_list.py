import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    weights.reverse()
    biases.reverse()
    acts_down = acts[::-1]  # [y, ..., x]
    delta = output_delta(acts_down[0], t)
    dweights, dbiases = [], []
    for k, W in enumerate(weights):
        below = acts_down[k + 1]
        dweights.append(below.T @ delta / m)
        dbiases.append(delta.mean(axis=0))
        delta = (delta @ W.T) * below * (1 - below)
    return dweights[::-1], dbiases[::-1]
