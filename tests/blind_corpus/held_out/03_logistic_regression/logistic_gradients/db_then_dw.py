import numpy as np


def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    m = X.shape[1]
    dw = X @ dJdz.T / m
    db = float(np.mean(dJdz))
    return db, dw
