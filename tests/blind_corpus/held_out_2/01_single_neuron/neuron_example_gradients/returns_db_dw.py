def neuron_example_gradients(w, b, x, y):
    z, a = neuron_forward(w, b, x)
    delta = (a - y) * sigmoid_prime(z)
    return delta, delta * x
