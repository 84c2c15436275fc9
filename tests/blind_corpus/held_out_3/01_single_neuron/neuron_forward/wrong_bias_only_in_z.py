def neuron_forward(w, b, x):
    z = w * x + b
    a = sigmoid(w * x)
    return z, a
