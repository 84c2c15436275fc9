import numpy as np

def neuron_gd_step(w, b, x, y, lr):
    x = np.asarray(x, dtype=float); y = np.asarray(y, dtype=float)
    _, a = neuron_forward(w, b, x)
    delta = (a - y) * a * (1 - a)
    dw = np.dot(delta, x) / x.size
    db = delta.sum() / x.size
    return float(w - lr * dw), float(b - lr * db)
