import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    n_layers = len(weights)
    m = x.shape[0]
    dweights = [None] * n_layers
    dbiases = [None] * n_layers
    delta = output_delta(acts[-1], t)
    for l in range(n_layers - 1, -1, -1):
        dweights[l] = acts[l].T @ delta / m
        dbiases[l] = delta.mean(axis=0)
        if l > 0:
            delta = hidden_delta(delta, weights[l], acts[l])
    return dweights, dbiases
