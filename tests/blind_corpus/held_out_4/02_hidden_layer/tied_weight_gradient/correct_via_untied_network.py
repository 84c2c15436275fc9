import numpy as np

from autograder.activations import get_activation


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    d = len(c)
    untied = {"W1": np.full((d, 1), float(w)), "b1": np.asarray(c, float).reshape(d, 1),
              "W2": np.asarray(v, float).reshape(1, d), "b2": np.array([[float(b)]])}
    dW1, _ = hidden_layer_gradients(untied, np.reshape(x, (1, -1)), np.reshape(y, (1, -1)),
                                    activation)
    return float(dW1.sum())
