import numpy as np


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    dW2, db2 = output_layer_gradients(params, X, y, activation)
    W2 = params["W2"] - lr * dW2
    b2 = params["b2"] - lr * db2
    updated = {"W1": params["W1"], "b1": params["b1"], "W2": W2, "b2": b2}
    dW1, db1 = hidden_layer_gradients(updated, X, y, activation)
    return {"W1": params["W1"] - lr * dW1, "b1": params["b1"] - lr * db1, "W2": W2, "b2": b2}
