def logistic_dJdz(z, y):
    return -y * sigmoid(-z) + (1.0 - y) * sigmoid(z)
