def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    g = logistic_dJdz(z, y)
    m = X.shape[0]
    return X @ g.T / m, float(g.sum() / m)
