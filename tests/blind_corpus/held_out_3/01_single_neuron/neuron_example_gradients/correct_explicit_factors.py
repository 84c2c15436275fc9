import numpy as np

def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    y_hat = sigmoid(z)
    dL_dyhat = y_hat - y
    dyhat_dz = sigmoid_prime(z)
    dL_dz = dL_dyhat * dyhat_dz
    dw = dL_dz * x
    db = dL_dz * np.ones_like(z)
    return dw, db
