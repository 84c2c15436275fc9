import numpy as np


def elementwise_jacobian(z, activation):
    act = get_activation(activation)
    n = len(z)
    jac = np.zeros((n, n))
    for a in range(n):
        jac[a, a] = act.df(z[a : a + 1])[0]
    return jac
