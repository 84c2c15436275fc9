import numpy as np


def logistic_predict(w, b, X):
    z, _ = logistic_forward(w, b, X)
    return np.where(z >= 0, 1.0, 0.0)
