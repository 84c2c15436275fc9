import numpy as np

def output_layer_gradients(params, X, y, activation="sigmoid"):
    c = hidden_forward(params, X, activation)
    delta = c["y_hat"] - y
    m = X.shape[1]
    return delta @ c["A1"].T / m, float(np.mean(delta))
