import functools

import numpy as np

from autograder.activations import sigmoid


def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    def cost(w, b):
        z = w.T @ X + b
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    def step(state, _):
        w, b, costs = state
        d = sigmoid(w.T @ X + b) - y
        w = w - lr * (X @ d.T) / X.shape[1]
        b = b - lr * float(np.mean(d))
        return w, b, costs + [cost(w, b)]

    w = np.zeros((X.shape[0], 1)) if w0 is None else np.array(w0, dtype=float)
    start = (w, float(b0), [cost(w, float(b0))])
    w, b, costs = functools.reduce(step, range(n_iter), start)
    return w, b, np.array(costs)
