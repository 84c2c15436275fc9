import numpy as np

def fixed_backward(x, t, w, b1, u, b2):
    m = x.shape[0]
    fw = delta_forward(x, w, b1, u, b2)
    d_out = (fw["y"] - t) * sigmoid_prime(fw["a2"])
    d_hid = (d_out @ u.T) * sigmoid_prime(fw["a1"])
    return {"dw": np.einsum("mi,mj->ij", x, d_hid) / m, "db1": d_hid.sum(axis=0) / m,
            "du": fw["h"].T @ d_out / m, "db2": d_out.sum(axis=0) / m}
