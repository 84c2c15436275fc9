import numpy as np


def logistic_forward(w, b, X):
    p, m = X.shape
    z = (X.reshape(m, p) @ w).reshape(1, m) + b
    a = sigmoid(z)
    return z, a
