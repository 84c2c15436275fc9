import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    delta = output_delta(acts[-1], t)
    dws, dbs = [], []
    for l in range(len(weights) - 1, -1, -1):
        dws.append(np.einsum("mi,mj->ij", acts[l], delta) / m)
        dbs.append(delta.mean(axis=0))
        h = acts[l]
        delta = np.einsum("mk,jk->mj", delta, weights[l]) * h * (1 - h)
    return dws[::-1], dbs[::-1]
