import numpy as np


def logistic_predict(w, b, X):
    z = X.T @ w + b
    return (z >= 0).astype(float)
