import numpy as np

def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    m = X.shape[1]
    total = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
    for i in range(m):
        g = hidden_backward(params, X[:, i:i + 1], y[:, i:i + 1], activation)
        for k in total:
            total[k] += g["d" + k]
    return {k: params[k] - lr * total[k] / m for k in total}
