import numpy as np


def logistic_predict(w, b, X):
    a = sigmoid(w.T @ X + b)
    return np.where(a >= 0.5, 1.0, 0.0)
