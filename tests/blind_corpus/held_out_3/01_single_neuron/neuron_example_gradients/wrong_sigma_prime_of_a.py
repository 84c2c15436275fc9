def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    a = sigmoid(z)
    delta = (a - y) * sigmoid_prime(a)
    return delta * x, delta
