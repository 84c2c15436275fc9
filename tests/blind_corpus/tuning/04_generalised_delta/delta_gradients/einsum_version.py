import numpy as np


def delta_gradients(x, t, w, b1, u, b2):
    f = delta_forward(x, w, b1, u, b2)
    h, y = f["h"], f["y"]
    m = len(x)
    d2 = (y - t) * y * (1 - y)
    d1 = np.einsum("mk,jk->mj", d2, u) * h * (1 - h)
    grads = {}
    grads["dw"] = np.einsum("mi,mj->ij", x, d1) / m
    grads["db1"] = np.mean(d1, axis=0)
    grads["du"] = np.einsum("mi,mj->ij", h, d2) / m
    grads["db2"] = np.mean(d2, axis=0)
    return grads
