def neuron_sgd_step(w, b, x_i, y_i, lr):
    dw, _ = neuron_example_gradients(w, b, x_i, y_i)
    w = w - lr * dw
    _, db = neuron_example_gradients(w, b, x_i, y_i)
    b = b - lr * db
    return float(w), float(b)
