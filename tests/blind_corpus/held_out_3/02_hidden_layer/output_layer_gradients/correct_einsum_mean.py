import numpy as np

def output_layer_gradients(params, X, y, activation="sigmoid"):
    c = hidden_forward(params, X, activation)
    delta = c["y_hat"] - y
    dW2 = np.einsum("om,dm->od", delta, c["A1"]) / X.shape[1]
    db2 = delta.mean(axis=1, keepdims=True)
    return dW2, db2
