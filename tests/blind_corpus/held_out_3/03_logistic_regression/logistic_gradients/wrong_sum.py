def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    g = logistic_dJdz(z, y)
    return X @ g.T, float(g.sum())
