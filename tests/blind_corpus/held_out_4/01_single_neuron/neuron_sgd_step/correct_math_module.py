import math


def neuron_sgd_step(w, b, x_i, y_i, lr):
    z = w * x_i + b
    a = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    delta = (a - y_i) * a * (1.0 - a)
    return float(w - lr * delta * x_i), float(b - lr * delta)
