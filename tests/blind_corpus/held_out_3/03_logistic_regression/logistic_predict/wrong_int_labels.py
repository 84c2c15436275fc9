def logistic_predict(w, b, X):
    z = w.T @ X + b
    return (z >= 0).astype(int)
