def logistic_forward(w, b, X):
    z = X.T @ w + b
    return z, sigmoid(z)
