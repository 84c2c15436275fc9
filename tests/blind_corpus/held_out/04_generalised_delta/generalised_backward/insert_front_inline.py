import numpy as np


def generalised_backward(x, t, weights, biases):
    activations = [x]
    for W, b in zip(weights, biases):
        activations.append(sigmoid(activations[-1] @ W + b))
    m = len(x)
    y = activations[-1]
    delta = (y - t) * y * (1.0 - y)
    dweights, dbiases = [], []
    for l in reversed(range(len(weights))):
        dweights.insert(0, np.dot(activations[l].T, delta) / m)
        dbiases.insert(0, np.sum(delta, axis=0) / m)
        a = activations[l]
        delta = np.dot(delta, weights[l].T) * a * (1.0 - a)  # unused after layer 0
    return dweights, dbiases
