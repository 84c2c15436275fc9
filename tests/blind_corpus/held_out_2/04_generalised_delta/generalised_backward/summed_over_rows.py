def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    delta = output_delta(acts[-1], t)
    for l in reversed(range(L)):
        dweights[l] = acts[l].T @ delta
        dbiases[l] = delta.sum(axis=0)
        if l > 0:
            delta = hidden_delta(delta, weights[l], acts[l])
    return dweights, dbiases
