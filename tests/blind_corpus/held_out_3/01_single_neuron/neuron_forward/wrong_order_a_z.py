def neuron_forward(w, b, x):
    z = w * x + b
    return sigmoid(z), z
