import numpy as np


def logistic_forward(w, b, X):
    z = X.T @ w + b
    a = sigmoid(z)
    return z, a
