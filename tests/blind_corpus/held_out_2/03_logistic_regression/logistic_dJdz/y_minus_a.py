def logistic_dJdz(z, y):
    a = sigmoid(z)
    return y - a
