def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    delta = output_delta(acts[-1], t)
    dws, dbs = [], []
    weights.reverse()
    biases.reverse()
    n = len(weights)
    for i, W in enumerate(weights):
        l = n - 1 - i
        dws.insert(0, acts[l].T @ delta / m)
        dbs.insert(0, delta.mean(axis=0))
        if l > 0:
            delta = hidden_delta(delta, W, acts[l])
    return dws, dbs
