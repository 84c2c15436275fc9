import numpy as np

from autograder.activations import sigmoid


def logistic_cost(w, b, X, y):
    a = np.clip(sigmoid(w.T @ X + b), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))
