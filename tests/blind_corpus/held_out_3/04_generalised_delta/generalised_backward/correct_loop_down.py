def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    n_layers = len(weights)
    m = x.shape[0]
    dweights = [None] * n_layers
    dbiases = [None] * n_layers
    y = acts[-1]
    delta = (y - t) * y * (1 - y)
    for l in range(n_layers - 1, -1, -1):
        dweights[l] = acts[l].T @ delta / m
        dbiases[l] = delta.mean(axis=0)
        if l > 0:
            delta = (delta @ weights[l].T) * acts[l] * (1 - acts[l])
    return dweights, dbiases
