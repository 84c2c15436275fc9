def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    h = get_activation(activation)
    m, d = len(x), len(c)
    total = 0.0
    for i in range(m):
        zs = [w * x[i] + c[j] for j in range(d)]
        y_hat = sum(v[j] * float(h.f(zs[j])) for j in range(d)) + b
        err = y_hat - y[i]
        for j in range(d):
            total += err * v[j] * float(h.df(zs[j])) * x[i]
    return float(total / m)
