import numpy as np

def logistic_dJdz(z, y):
    a = 0.5 + 0.5 * np.tanh(np.asarray(z, dtype=float) / 2.0)
    return a - y
