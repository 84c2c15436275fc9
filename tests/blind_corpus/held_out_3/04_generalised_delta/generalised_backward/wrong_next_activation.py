def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    delta = output_delta(acts[-1], t)
    dws, dbs = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        dws[l] = acts[l].T @ delta / m
        dbs[l] = delta.mean(axis=0)
        if l > 0:
            a = acts[l + 1]
            delta = (delta @ weights[l].T) * a * (1 - a)
    return dws, dbs
