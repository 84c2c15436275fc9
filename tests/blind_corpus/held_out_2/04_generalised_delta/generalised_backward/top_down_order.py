def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    delta = output_delta(acts[-1], t)
    dweights, dbiases = [], []
    for l in range(len(weights) - 1, -1, -1):
        dweights.append(acts[l].T @ delta / m)
        dbiases.append(delta.mean(axis=0))
        if l > 0:
            delta = hidden_delta(delta, weights[l], acts[l])
    return dweights, dbiases
