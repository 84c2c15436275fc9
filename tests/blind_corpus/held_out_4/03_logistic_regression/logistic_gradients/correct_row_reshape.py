import numpy as np

from autograder.activations import sigmoid


def logistic_gradients(w, b, X, y):
    dJdz = sigmoid(w.T @ X + b) - y
    m = X.shape[1]
    dw = (dJdz @ X.T).reshape(w.shape) / m
    return dw, float(np.sum(dJdz) / m)
