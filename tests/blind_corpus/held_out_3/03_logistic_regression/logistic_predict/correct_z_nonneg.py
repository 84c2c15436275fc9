import numpy as np

def logistic_predict(w, b, X):
    z = np.dot(w.T, X) + b
    return (z >= 0).astype(np.float64)
