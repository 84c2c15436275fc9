def logistic_predict(w, b, X):
    return (w.T @ X >= 0).astype(float)
