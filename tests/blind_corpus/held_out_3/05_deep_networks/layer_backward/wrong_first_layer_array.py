def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    dW = delta @ F_prev.T / n
    db = delta.mean(axis=1, keepdims=True)
    slope = 1.0 if J_prev is None else J_prev
    delta_prev = (W.T @ delta) * slope
    return dW, db, delta_prev
