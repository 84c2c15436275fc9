def logistic_gradients(w, b, X, y):
    z = w.T @ X
    dJdz = logistic_dJdz(z, y)
    m = X.shape[1]
    return X @ dJdz.T / m, float(dJdz.sum() / m)
