import numpy as np


def output_layer_gradients(params, X, y, activation="sigmoid"):
    cache = hidden_forward(params, X, activation)
    delta = cache["y_hat"] - y                        # (1, m)
    dW2 = np.mean(delta * cache["A1"], axis=1)[np.newaxis, :]
    db2 = np.array([[delta.mean()]])
    return dW2, db2
