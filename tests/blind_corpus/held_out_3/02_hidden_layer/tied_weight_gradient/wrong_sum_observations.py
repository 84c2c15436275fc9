import numpy as np

def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    Z = w * x[None, :] + c[:, None]
    err = v @ h.f(Z) + b - y
    return float(np.sum((v @ h.df(Z)) * err * x))
