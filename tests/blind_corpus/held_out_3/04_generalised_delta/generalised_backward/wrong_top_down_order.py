def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    delta = output_delta(acts[-1], t)
    dws, dbs = [], []
    for l in reversed(range(len(weights))):
        dws.append(acts[l].T @ delta / m)
        dbs.append(delta.mean(axis=0))
        if l > 0:
            delta = hidden_delta(delta, weights[l], acts[l])
    return dws, dbs
