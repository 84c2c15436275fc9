def neuron_forward(w, b, x):
    z = w * x
    a = sigmoid(w * x + b)
    return z, a
