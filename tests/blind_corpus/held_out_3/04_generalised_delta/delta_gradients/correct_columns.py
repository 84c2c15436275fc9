import numpy as np

def delta_gradients(x, t, w, b1, u, b2):
    X, T = x.T, t.T
    m = X.shape[1]
    H = sigmoid(w.T @ X + b1[:, None])
    Y = sigmoid(u.T @ H + b2[:, None])
    D2 = (Y - T) * Y * (1 - Y)
    D1 = (u @ D2) * H * (1 - H)
    return {"dw": (D1 @ X.T / m).T, "db1": D1.mean(axis=1),
            "du": (D2 @ H.T / m).T, "db2": D2.mean(axis=1)}
