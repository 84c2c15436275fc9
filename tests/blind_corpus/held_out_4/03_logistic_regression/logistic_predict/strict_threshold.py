import numpy as np


def logistic_predict(w, b, X):
    return (w.T @ X + b > 0).astype(float)
