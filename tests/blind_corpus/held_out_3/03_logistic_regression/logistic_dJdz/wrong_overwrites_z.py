def logistic_dJdz(z, y):
    z[:] = sigmoid(z) - y
    return z
