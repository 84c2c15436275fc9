import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = [x]
    for W_l, b_l in zip(weights, biases):
        acts.append(sigmoid(acts[-1] @ W_l + b_l))
    m = len(x)
    y = acts[-1]
    delta = (y - t) * y * (1 - y)
    dW, dB = [], []
    for layer in reversed(range(len(weights))):
        dW.insert(0, np.einsum("mi,mj->ij", acts[layer], delta) / m)
        dB.insert(0, delta.sum(axis=0) / m)
        below = acts[layer]
        delta = (delta @ weights[layer].T) * below * (1 - below)
    return dW, dB
