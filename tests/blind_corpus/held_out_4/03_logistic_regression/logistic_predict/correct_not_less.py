import numpy as np


def logistic_predict(w, b, X):
    z = np.dot(w.T, X) + b
    negative = (z < 0).astype(np.float64)
    return 1.0 - negative
