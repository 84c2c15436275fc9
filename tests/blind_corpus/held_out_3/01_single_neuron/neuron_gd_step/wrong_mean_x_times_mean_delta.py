import numpy as np

def neuron_gd_step(w, b, x, y, lr):
    z = w * x + b
    a = sigmoid(z)
    delta = (a - y) * sigmoid_prime(z)
    dw = np.mean(delta) * np.mean(x)
    db = np.mean(delta)
    return w - lr * dw, b - lr * db
