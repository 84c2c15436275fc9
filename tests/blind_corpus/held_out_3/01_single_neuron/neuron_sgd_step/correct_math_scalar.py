import math

def neuron_sgd_step(w, b, x_i, y_i, lr):
    z = w * x_i + b
    if z >= 0:
        a = 1.0 / (1.0 + math.exp(-z))
    else:
        e = math.exp(z)
        a = e / (1.0 + e)
    delta = (a - y_i) * a * (1.0 - a)
    return float(w - lr * delta * x_i), float(b - lr * delta)
