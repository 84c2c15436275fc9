import numpy as np

from autograder.activations import get_activation


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    h = get_activation(activation)
    Z1 = np.dot(params["W1"], X) + params["b1"]
    A1 = h.f(Z1)
    delta2 = np.dot(params["W2"], A1) + params["b2"] - y
    delta1 = np.dot(params["W2"].T, delta2) * h.df(Z1)
    m = X.shape[1]
    grads = {"W1": np.dot(delta1, X.T) / m, "b1": delta1.mean(axis=1, keepdims=True),
             "W2": np.dot(delta2, A1.T) / m, "b2": delta2.mean(axis=1, keepdims=True)}
    return {name: params[name] - lr * grads[name] for name in params}
