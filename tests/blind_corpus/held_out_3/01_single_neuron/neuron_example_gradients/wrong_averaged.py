import numpy as np

def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    delta = (sigmoid(z) - y) * sigmoid_prime(z)
    return np.mean(delta * x), np.mean(delta)
