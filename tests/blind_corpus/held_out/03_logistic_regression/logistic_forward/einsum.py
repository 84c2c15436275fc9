import numpy as np


def logistic_forward(w, b, X):
    z = np.einsum("pi,pm->im", w, X) + b
    a = sigmoid(z)
    return z, a
