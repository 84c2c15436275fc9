import numpy as np


def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    dw = np.dot(X, dJdz.T)
    db = float(np.sum(dJdz))
    return dw, db
