def logistic_forward(w, b, X):
    z = (w * X).sum(axis=0) + b
    return z, sigmoid(z)
