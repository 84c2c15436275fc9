import numpy as np

def logistic_cost(w, b, X, y):
    z = np.dot(w.T, X) + b
    def softplus(t):
        return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))
    losses = y * softplus(-z) + (1.0 - y) * softplus(z)
    return float(losses.sum() / z.shape[1])
