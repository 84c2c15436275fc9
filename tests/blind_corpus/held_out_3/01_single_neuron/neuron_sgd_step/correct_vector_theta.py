import numpy as np

def neuron_sgd_step(w, b, x_i, y_i, lr):
    dw, db = neuron_example_gradients(w, b, x_i, y_i)
    theta = np.array([w, b], dtype=float) - lr * np.array([dw, db], dtype=float)
    return float(theta[0]), float(theta[1])
