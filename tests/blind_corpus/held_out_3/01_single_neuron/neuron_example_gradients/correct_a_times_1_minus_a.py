def neuron_example_gradients(w, b, x, y):
    a = sigmoid(w * x + b)
    delta = (a - y) * a * (1.0 - a)
    return delta * x, delta
