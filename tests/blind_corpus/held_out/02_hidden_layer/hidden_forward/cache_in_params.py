import numpy as np


def hidden_forward(params, X, activation="sigmoid"):
    h = get_activation(activation)
    params["Z1"] = params["W1"] @ X + params["b1"]
    params["A1"] = h.f(params["Z1"])
    params["y_hat"] = params["W2"] @ params["A1"] + params["b2"]
    return params
