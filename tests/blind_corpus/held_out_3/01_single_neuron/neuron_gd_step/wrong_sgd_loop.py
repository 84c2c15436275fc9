def neuron_gd_step(w, b, x, y, lr):
    m = len(x)
    for xi, yi in zip(x, y):
        dw, db = neuron_example_gradients(w, b, xi, yi)
        w, b = w - lr / m * dw, b - lr / m * db
    return w, b
