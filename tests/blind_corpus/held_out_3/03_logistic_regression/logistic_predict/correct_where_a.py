import numpy as np

def logistic_predict(w, b, X):
    _, a = logistic_forward(w, b, X)
    return np.where(a >= 0.5, 1.0, 0.0)
