def neuron_example_gradients(w, b, x, y):
    _, a = neuron_forward(w, b, x)
    delta = a - y
    return delta * x, delta
