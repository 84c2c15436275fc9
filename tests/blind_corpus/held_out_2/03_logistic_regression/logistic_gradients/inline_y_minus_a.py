def logistic_gradients(w, b, X, y):
    z, a = logistic_forward(w, b, X)
    dJdz = y - a
    m = X.shape[1]
    return X @ dJdz.T / m, float(dJdz.sum() / m)
