def neuron_gd_step(w, b, x, y, lr):
    m = len(x)
    sum_dw, sum_db = 0.0, 0.0
    for x_i, y_i in zip(x, y):
        dw_i, db_i = neuron_example_gradients(w, b, x_i, y_i)
        sum_dw += dw_i
        sum_db += db_i
    return float(w - lr * sum_dw / m), float(b - lr * sum_db / m)
