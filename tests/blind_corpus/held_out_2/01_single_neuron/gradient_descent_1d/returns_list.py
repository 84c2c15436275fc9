def gradient_descent_1d(dJ, w0, lr, n_iter):
    path = [w0]
    for _ in range(n_iter):
        path.append(path[-1] - lr * dJ(path[-1]))
    return path
