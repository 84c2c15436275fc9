def logistic_predict(w, b, X):
    _, a = logistic_forward(w, b, X)
    return (a > 0.5) * 1.0
