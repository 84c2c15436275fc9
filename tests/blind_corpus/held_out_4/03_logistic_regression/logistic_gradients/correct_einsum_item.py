import numpy as np


def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    m = X.shape[1]
    dw = np.einsum("pm,im->pi", X, dJdz) / m
    db = dJdz.mean().item()
    return dw, db
