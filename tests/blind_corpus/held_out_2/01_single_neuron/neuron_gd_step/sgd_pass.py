def neuron_gd_step(w, b, x, y, lr):
    for x_i, y_i in zip(x, y):
        w, b = neuron_sgd_step(w, b, x_i, y_i, lr)
    return float(w), float(b)
