import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    weights.reverse()
    biases.reverse()
    delta = (acts[-1] - t) * acts[-1] * (1 - acts[-1])
    dweights, dbiases = [], []
    for k, w_layer in enumerate(weights):
        h_in = acts[-2 - k]
        dweights.insert(0, h_in.T @ delta / m)
        dbiases.insert(0, delta.mean(axis=0))
        delta = (delta @ w_layer.T) * h_in * (1 - h_in)
    weights.reverse()
    return dweights, dbiases
