import numpy as np


def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    p, m = X.shape
    dw = (dJdz @ X.reshape(m, p)).reshape(p, 1) / m
    db = float(np.mean(dJdz))
    return dw, db
