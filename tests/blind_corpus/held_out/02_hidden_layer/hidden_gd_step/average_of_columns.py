import numpy as np


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    n = X.shape[1]
    total = {"d" + k: np.zeros_like(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2")}
    for i in range(n):
        g = hidden_backward(params, X[:, [i]], y[:, [i]], activation)
        for key in total:
            total[key] = total[key] + g[key]
    return {k: params[k] - lr * total["d" + k] / n for k in ("W1", "b1", "W2", "b2")}
