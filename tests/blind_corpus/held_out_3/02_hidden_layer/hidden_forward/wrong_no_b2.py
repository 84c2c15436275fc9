import numpy as np

def hidden_forward(params, X, activation="sigmoid"):
    h = get_activation(activation)
    Z1 = np.dot(params["W1"], X) + params["b1"]
    A1 = h.f(Z1)
    return {"Z1": Z1, "A1": A1, "y_hat": np.dot(params["W2"], A1)}
