def generalised_backward(x, t, weights, biases):
    activations = generalised_forward(x, weights, biases)
    m = x.shape[0]
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    delta = output_delta(activations[-1], t)
    for l in range(L - 1, -1, -1):
        dweights[l] = activations[l].T @ delta / m
        dbiases[l] = delta.mean(axis=0)
        if l > 0:
            delta = hidden_delta(delta, weights[l], activations[l])
    return dweights, dbiases
