import numpy as np


def logistic_gradients(w, b, X, y):
    z, a = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    m = y.shape[1]
    dw = np.einsum("pm,im->pi", X, dJdz) / m
    db = dJdz.sum() / m
    return dw, db
