def logistic_dJdz(z, y):
    m = z.shape[1]
    return (sigmoid(z) - y) / m
