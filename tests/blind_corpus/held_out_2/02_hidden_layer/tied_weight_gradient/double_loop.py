def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    m, d = len(x), len(c)
    total = 0.0
    for i in range(m):
        z = w * x[i] + c                       # (d,): one pre-activation per unit
        y_hat = float(v @ h.f(z)) + b
        slopes = h.df(z)
        paths = 0.0
        for j in range(d):
            paths += v[j] * slopes[j] * x[i]
        total += (y_hat - y[i]) * paths
    return float(total / m)
