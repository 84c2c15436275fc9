import numpy as np

from autograder.activations import sigmoid


def logistic_predict(w, b, X):
    _, a = logistic_forward(w, b, X)
    return np.round(a)
