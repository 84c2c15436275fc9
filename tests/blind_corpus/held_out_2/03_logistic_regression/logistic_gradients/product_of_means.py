import numpy as np


def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    dw = np.mean(X, axis=1, keepdims=True) * np.mean(dJdz)
    return dw, float(np.mean(dJdz))
