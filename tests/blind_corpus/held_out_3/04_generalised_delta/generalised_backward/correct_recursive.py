def generalised_backward(x, t, weights, biases):
    acts = generalised_forward(x, weights, biases)
    m = x.shape[0]
    dws, dbs = [], []
    def back(l, delta):
        dws.insert(0, acts[l].T @ delta / m)
        dbs.insert(0, delta.sum(axis=0) / m)
        if l > 0:
            back(l - 1, hidden_delta(delta, weights[l], acts[l]))
    back(len(weights) - 1, output_delta(acts[-1], t))
    return dws, dbs
