import numpy as np

def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = np.zeros(W.shape)
    db = np.zeros((W.shape[0], 1))
    delta_prev = None if J_prev is None else np.zeros(F_prev.shape)
    for i in range(n):
        d = delta[:, i]
        dW += np.outer(d, F_prev[:, i]) / n
        db[:, 0] += d / n
        if J_prev is not None:
            delta_prev[:, i] = W.T.dot(d) * J_prev[:, i]
    return dW, db, delta_prev
