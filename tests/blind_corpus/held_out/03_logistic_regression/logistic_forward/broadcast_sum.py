import numpy as np


def logistic_forward(w, b, X):
    z = np.sum(w * X, axis=0, keepdims=True) + b
    return z, sigmoid(z)
