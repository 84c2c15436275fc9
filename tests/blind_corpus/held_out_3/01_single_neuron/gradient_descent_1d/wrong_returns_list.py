def gradient_descent_1d(dJ, w0, lr, n_iter):
    path = [w0]
    w = w0
    for _ in range(n_iter):
        w -= lr * dJ(w)
        path.append(w)
    return path
