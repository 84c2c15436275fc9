import numpy as np

from autograder.activations import get_activation


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    m = X.shape[1]
    moves = {name: np.zeros_like(value, dtype=float) for name, value in params.items()}
    for i in range(m):
        step = hidden_sgd_step(params, X[:, [i]], y[:, [i]], lr, activation)
        for name in moves:
            moves[name] += (params[name] - step[name]) / m
    return {name: params[name] - moves[name] for name in params}
