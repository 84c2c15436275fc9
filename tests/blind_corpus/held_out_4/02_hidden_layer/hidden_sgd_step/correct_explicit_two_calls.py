import numpy as np

from autograder.activations import get_activation


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    dW2, db2 = output_layer_gradients(params, x, y, activation)
    dW1, db1 = hidden_layer_gradients(params, x, y, activation)
    return {"W1": np.subtract(params["W1"], lr * dW1), "b1": np.subtract(params["b1"], lr * db1),
            "W2": np.subtract(params["W2"], lr * dW2), "b2": np.subtract(params["b2"], lr * db2)}
