def neuron_sgd_step(w, b, x_i, y_i, lr):
    dw, db = neuron_example_gradients(w, b, x_i, y_i)
    w_new = w - lr * dw
    b_new = b - db
    return w_new, b_new
