def neuron_example_gradients(w, b, x, y):
    a = sigmoid(w * x + b)
    delta = a - y
    return delta * x, delta
