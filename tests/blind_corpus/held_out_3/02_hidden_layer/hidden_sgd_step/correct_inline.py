import numpy as np

def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    h = get_activation(activation)
    W1, b1, W2, b2 = (params[k].copy() for k in ("W1", "b1", "W2", "b2"))
    z1 = np.dot(W1, x) + b1
    a1 = h.f(z1)
    y_hat = np.dot(W2, a1) + b2
    e = float((y_hat - y)[0, 0])
    delta1 = e * W2.T * h.df(z1)
    gW2 = e * a1.T
    gb2 = np.array([[e]])
    gW1 = np.outer(delta1[:, 0], x[:, 0])
    gb1 = delta1
    return {"W1": W1 - lr * gW1, "b1": b1 - lr * gb1, "W2": W2 - lr * gW2, "b2": b2 - lr * gb2}
