import numpy as np


def gradient_descent_1d(dJ, w0, lr, n_iter):
    w = w0
    for i in range(n_iter):
        w = w - lr * dJ(w)
    return w
