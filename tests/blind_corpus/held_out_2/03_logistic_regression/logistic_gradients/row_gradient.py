def logistic_gradients(w, b, X, y):
    z, _ = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    m = X.shape[1]
    return dJdz @ X.T / m, float(dJdz.mean())
