import numpy as np

def logistic_cost(w, b, X, y):
    a = sigmoid(w.T @ X + b)
    a = np.clip(a, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))
