import numpy as np

def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    Z = w * x[None, :] + c[:, None]
    A = 1.0 / (1.0 + np.exp(-Z))
    err = v @ A + b - y
    return float(np.mean((v @ (A * (1 - A))) * err * x))
