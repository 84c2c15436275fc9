import numpy as np


def logistic_forward(w, b, X):
    z = w.T @ X
    a = sigmoid(z)
    return z, a
