import math

def neuron_gd_step(w, b, x, y, lr):
    m = len(x)
    gw = gb = 0.0
    for xi, yi in zip(x, y):
        z = w * xi + b
        a = 0.5 * (1.0 + math.tanh(0.5 * z))
        d = (a - yi) * a * (1.0 - a)
        gw += d * xi
        gb += d
    return w - lr * gw / m, b - lr * gb / m
