def neuron_example_gradients(w, b, x, y):
    z = w * x + b
    dL_dyhat = sigmoid(z) - y
    dyhat_dz = sigmoid_prime(z)
    dz_dw = x
    dz_db = 1.0
    shared = dL_dyhat * dyhat_dz
    return shared * dz_dw, shared * dz_db
