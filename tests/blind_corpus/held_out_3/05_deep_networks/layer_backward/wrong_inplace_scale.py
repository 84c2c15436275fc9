def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    delta /= n
    dW = delta @ F_prev.T
    db = delta.sum(axis=1, keepdims=True)
    delta_prev = None if J_prev is None else (W.T @ delta) * J_prev
    return dW, db, delta_prev
