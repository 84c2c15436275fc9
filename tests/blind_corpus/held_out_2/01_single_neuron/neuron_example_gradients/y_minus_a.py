def neuron_example_gradients(w, b, x, y):
    z, a = neuron_forward(w, b, x)
    delta = (y - a) * sigmoid_prime(z)
    return delta * x, delta
