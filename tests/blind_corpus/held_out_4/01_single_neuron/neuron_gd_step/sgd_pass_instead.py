def neuron_gd_step(w, b, x, y, lr):
    m = len(x)
    for x_i, y_i in zip(x, y):
        dw, db = neuron_example_gradients(w, b, x_i, y_i)
        w, b = w - lr / m * dw, b - lr / m * db
    return float(w), float(b)
