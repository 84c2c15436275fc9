import numpy as np

def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    h = get_activation(activation)
    c = hidden_forward(params, X, activation)
    delta2 = c["y_hat"] - y
    delta1 = (params["W2"].T @ delta2) * h.df(c["Z1"])
    m = X.shape[1]
    return np.einsum("dm,pm->dp", delta1, X) / m, np.mean(delta1, axis=1, keepdims=True)
