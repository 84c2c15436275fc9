import numpy as np


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    d = c.shape[0]
    untied = {"W1": np.full((d, 1), float(w)), "b1": c.reshape(d, 1),
              "W2": v.reshape(1, d), "b2": np.array([[b]], dtype=float)}
    dW1, _ = hidden_layer_gradients(untied, x.reshape(1, -1), y.reshape(1, -1), activation)
    return float(np.sum(dW1))
