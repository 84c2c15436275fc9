def neuron_sgd_step(w, b, x_i, y_i, lr):
    dw, db = neuron_example_gradients(w, b, x_i, y_i)
    new_w = w - lr * dw
    new_b = b - lr * db
    return float(new_w), float(new_b)
