import numpy as np


def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]

    def down(l, delta):
        """Gradients of layers 0..l given the delta of layer l's output units."""
        dw_l = acts[l].T @ delta / m
        db_l = delta.mean(axis=0)
        if l == 0:
            return [dw_l], [db_l]
        below = (delta @ weights[l].T) * acts[l] * (1 - acts[l])
        dws, dbs = down(l - 1, below)
        return dws + [dw_l], dbs + [db_l]

    y = acts[-1]
    return down(len(weights) - 1, (y - t) * y * (1 - y))
