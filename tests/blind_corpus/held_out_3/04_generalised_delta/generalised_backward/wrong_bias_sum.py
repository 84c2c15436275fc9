def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    delta = output_delta(acts[-1], t)
    dws, dbs = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        dws[l] = acts[l].T @ delta / m
        dbs[l] = delta.sum(axis=0)
        if l > 0:
            delta = hidden_delta(delta, weights[l], acts[l])
    return dws, dbs
