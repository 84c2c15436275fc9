import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    dweights = [np.zeros_like(W, dtype=float) for W in weights]
    dbiases = [np.zeros_like(b, dtype=float) for b in biases]
    delta = output_delta(acts[-1], t)
    for l in range(len(weights) - 1, 0, -1):
        dweights[l] = acts[l].T @ delta / m
        dbiases[l] = delta.mean(axis=0)
        delta = hidden_delta(delta, weights[l], acts[l])
    return dweights, dbiases
