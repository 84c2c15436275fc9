def neuron_sgd_step(w, b, x_i, y_i, lr):
    db, dw = neuron_example_gradients(w, b, x_i, y_i)
    return float(w - lr * dw), float(b - lr * db)
