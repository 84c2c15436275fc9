import numpy as np


def hidden_forward(params, X, activation="sigmoid"):
    X = np.asarray(X, dtype=np.float64)
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    Z1 = np.einsum("dp,pn->dn", W1, X) + b1
    A1 = get_activation(activation).f(Z1)
    y_hat = np.dot(W2, A1) + b2
    return dict(Z1=Z1, A1=A1, y_hat=y_hat)
