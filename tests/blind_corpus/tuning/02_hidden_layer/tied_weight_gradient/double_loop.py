import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    n, d = len(x), len(c)
    total = 0.0
    for i in range(n):
        z = [w * x[i] + c[j] for j in range(d)]
        y_hat = sum(v[j] * h.f(z[j]) for j in range(d)) + b
        for j in range(d):
            total += (y_hat - y[i]) * v[j] * h.df(z[j]) * x[i]
    return float(total / n)
