def neuron_sgd_step(w, b, x_i, y_i, lr):
    dw, db = neuron_example_gradients(w, b, x_i, y_i)
    w_new = w - lr * dw
    b_new = b - lr * db
    return float(b_new), float(w_new)
