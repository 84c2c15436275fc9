import numpy as np

def gradient_descent_1d(dJ, w0, lr, n_iter):
    g = dJ(w0)
    path = [w0]
    for k in range(n_iter):
        path.append(path[-1] - lr * g)
    return np.array(path, dtype=np.float64)
