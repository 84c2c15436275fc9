import numpy as np

def logistic_predict(w, b, X):
    z = w.T @ X + b
    return np.where(z >= 0.5, 1.0, 0.0)
