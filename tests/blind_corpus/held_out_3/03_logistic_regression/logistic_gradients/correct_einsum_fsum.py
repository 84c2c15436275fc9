import math
import numpy as np

def logistic_gradients(w, b, X, y):
    z = np.einsum("pk,pm->km", w, X) + b
    g = sigmoid(z) - y
    m = X.shape[1]
    dw = np.einsum("pm,km->pk", X, g) / m
    db = math.fsum(g.ravel()) / m
    return dw, db
