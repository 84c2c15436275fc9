def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    L = len(weights)
    delta = output_delta(acts[-1], t)
    dweights, dbiases = [], []
    for l in range(L - 1, 0, -1):
        dweights.insert(0, acts[l].T @ delta / m)
        dbiases.insert(0, delta.mean(axis=0))
        delta = hidden_delta(delta, weights[l], acts[l])
    return dweights, dbiases
