import numpy as np


def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    a = sigmoid(z)
    dw = (a - y) * x
    db = a - y
    return dw, db
