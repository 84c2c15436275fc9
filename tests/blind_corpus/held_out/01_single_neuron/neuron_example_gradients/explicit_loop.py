import numpy as np


def neuron_example_gradients(w, b, x, y):
    xs = np.atleast_1d(np.asarray(x, dtype=float))
    ys = np.broadcast_to(np.atleast_1d(np.asarray(y, dtype=float)), xs.shape)
    dw = np.empty_like(xs)
    db = np.empty_like(xs)
    for i in range(xs.size):
        z_i = w * xs.flat[i] + b
        a_i = float(sigmoid(z_i))
        dL_dyhat = a_i - ys.flat[i]
        dyhat_dz = a_i * (1.0 - a_i)
        dw.flat[i] = dL_dyhat * dyhat_dz * xs.flat[i]
        db.flat[i] = dL_dyhat * dyhat_dz
    if np.ndim(x) == 0:
        return float(dw[0]), float(db[0])
    return dw.reshape(np.shape(x)), db.reshape(np.shape(x))
