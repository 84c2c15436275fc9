import numpy as np

def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    w = np.zeros((X.shape[0], 1)) if w0 is None else w0.copy()
    b = b0
    costs = []
    for _ in range(n_iter):
        costs.append(logistic_cost(w, b, X, y))
        dw, db = logistic_gradients(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
    return w, b, np.array(costs)
