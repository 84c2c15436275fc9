import numpy as np

def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = np.outer(c, np.ones_like(x)) + w * x
    err = v @ h.f(Z) + b - y
    per_path = (v[:, None] * h.df(Z)) * (err * x)
    return float(np.mean(per_path))
