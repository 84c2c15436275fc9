import numpy as np

def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    dws = [np.zeros_like(W) for W in weights]
    dbs = [np.zeros_like(b) for b in biases]
    delta = output_delta(acts[-1], t)
    for l in range(len(weights) - 1, 0, -1):
        dws[l] = acts[l].T @ delta / m
        dbs[l] = delta.mean(axis=0)
        delta = hidden_delta(delta, weights[l], acts[l])
    return dws, dbs
