import numpy as np

from autograder.activations import sigmoid


def logistic_predict(w, b, X):
    return (sigmoid(w.T @ X + b) >= 0.5).astype(int)
