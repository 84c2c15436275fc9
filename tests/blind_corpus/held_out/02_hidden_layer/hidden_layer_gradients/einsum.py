import numpy as np


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    dh = get_activation(activation).df
    out = hidden_forward(params, X, activation)
    n = X.shape[1]
    err = out["y_hat"] - y                                    # (1, n)
    D1 = np.einsum("oj,on->jn", params["W2"], err) * dh(out["Z1"])  # (d, n)
    dW1 = np.einsum("jn,kn->jk", D1, X) / n
    db1 = D1.sum(axis=1)[:, np.newaxis] / n
    return dW1, db1
