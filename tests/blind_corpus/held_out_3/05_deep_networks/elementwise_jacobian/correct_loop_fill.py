import numpy as np

def elementwise_jacobian(z, activation):
    n = len(z)
    d = get_activation(activation).df(np.asarray(z, dtype=float))
    D = np.zeros((n, n))
    for a in range(n):
        D[a, a] = d[a]
    return D
