def logistic_forward(w, b, X):
    s = w.T @ X
    return s + b, sigmoid(s)
