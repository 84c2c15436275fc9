def neuron_example_gradients(w, b, x, y):
    _, y_hat = neuron_forward(w, b, x)
    dL_dz = (y_hat - y) * y_hat * (1.0 - y_hat)
    dw = dL_dz * x
    db = dL_dz * 1.0
    return dw, db
