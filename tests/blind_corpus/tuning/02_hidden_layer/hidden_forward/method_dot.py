import numpy as np


def hidden_forward(params, X, activation="sigmoid"):
    act = get_activation(activation)
    Z1 = np.add(params["W1"].dot(X), params["b1"])
    A1 = act.f(Z1)
    y_hat = np.add(params["W2"].dot(A1), params["b2"])
    return {"Z1": Z1, "A1": A1, "y_hat": y_hat}
