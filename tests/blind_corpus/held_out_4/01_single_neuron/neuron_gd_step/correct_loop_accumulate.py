def neuron_gd_step(w, b, x, y, lr):
    total_w = total_b = 0.0
    for x_i, y_i in zip(x, y):
        g_w, g_b = neuron_example_gradients(w, b, float(x_i), float(y_i))
        total_w += g_w
        total_b += g_b
    m = len(x)
    return float(w - lr * total_w / m), float(b - lr * total_b / m)
