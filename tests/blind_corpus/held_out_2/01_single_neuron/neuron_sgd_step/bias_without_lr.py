def neuron_sgd_step(w, b, x_i, y_i, lr):
    dw, db = neuron_example_gradients(w, b, x_i, y_i)
    w = w - lr * dw
    b = b - db
    return float(w), float(b)
