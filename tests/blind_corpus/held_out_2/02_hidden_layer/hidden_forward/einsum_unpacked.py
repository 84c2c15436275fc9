import numpy as np


def hidden_forward(params, X, activation="sigmoid"):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    f = get_activation(activation).f
    Z1 = np.einsum("dp,pm->dm", W1, X) + b1
    A1 = f(Z1)
    y_hat = np.einsum("od,dm->om", W2, A1) + b2
    return {"Z1": Z1, "A1": A1, "y_hat": y_hat}
