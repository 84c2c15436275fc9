import numpy as np

def logistic_forward(w, b, X):
    z = w.T @ X + b
    a = np.exp(z) / (1 + np.exp(z))
    return z, a
