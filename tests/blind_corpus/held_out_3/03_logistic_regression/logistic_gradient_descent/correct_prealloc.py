import numpy as np

def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    p = X.shape[0]
    w = np.zeros((p, 1)) if w0 is None else w0
    b = b0
    costs = np.empty(n_iter + 1)
    costs[0] = logistic_cost(w, b, X, y)
    for k in range(n_iter):
        grads = logistic_gradients(w, b, X, y)
        w, b = w - lr * grads[0], b - lr * grads[1]
        costs[k + 1] = logistic_cost(w, b, X, y)
    return w, float(b), costs
