import numpy as np


def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    dw = np.mean(X * dJdz, axis=1, keepdims=True)
    db = dJdz.mean().item()
    return dw, db
