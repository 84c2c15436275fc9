def logistic_dJdz(z, y):
    return y - sigmoid(z)
