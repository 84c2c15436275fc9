import numpy as np

def logistic_forward(w, b, X):
    z = np.dot(w.T, X) + b
    return z, sigmoid(z)
