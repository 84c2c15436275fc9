import numpy as np


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    dW1, db1 = hidden_layer_gradients(params, x, y, activation)
    dW2, db2 = output_layer_gradients(params, x, y, activation)
    new = {name: np.array(value, dtype=float, copy=True) for name, value in params.items()}
    new["W1"] -= lr * dW1
    new["b1"] -= lr * db1
    new["W2"] -= lr * dW2
    new["b2"] -= lr * db2
    return new
