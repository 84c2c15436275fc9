def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    a = sigmoid(z)
    delta = (a - y) * sigmoid_prime(z)
    return delta * x, delta * x
