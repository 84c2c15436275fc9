def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    L = len(weights)
    weights.reverse()
    acts.reverse()
    delta = output_delta(acts[0], t)
    dweights, dbiases = [], []
    for k in range(L):
        dweights.append(acts[k + 1].T @ delta / m)
        dbiases.append(delta.mean(axis=0))
        if k < L - 1:
            delta = hidden_delta(delta, weights[k], acts[k + 1])
    dweights.reverse()
    dbiases.reverse()
    return dweights, dbiases
