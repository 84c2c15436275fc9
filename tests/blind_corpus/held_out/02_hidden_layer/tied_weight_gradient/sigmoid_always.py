import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]
    s = get_activation("sigmoid").f(Z)
    delta = v @ s + b - y
    paths = delta * v[:, np.newaxis] * sigmoid_prime(Z) * x
    return float(np.mean(np.sum(paths, axis=0)))
