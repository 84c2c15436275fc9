import numpy as np

def gradient_descent_1d(dJ, w0, lr, n_iter):
    path = [float(w0)]
    for _ in range(int(n_iter)):
        current = path[-1]
        path.append(current - lr * float(dJ(current)))
    return np.asarray(path, dtype=np.float64)
