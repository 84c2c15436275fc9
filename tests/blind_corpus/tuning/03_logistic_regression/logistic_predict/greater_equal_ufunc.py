import numpy as np


def logistic_predict(w, b, X):
    logits = w.T @ X + b
    return np.greater_equal(logits, 0.0).astype(np.float64)
