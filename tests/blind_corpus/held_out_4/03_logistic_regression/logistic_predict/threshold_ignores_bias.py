import numpy as np


def logistic_predict(w, b, X):
    return np.where(w.T @ X >= 0, 1.0, 0.0)
