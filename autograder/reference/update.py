"""The gradient-descent update, written once for every model in the course."""
from __future__ import annotations

import numpy as np


def gradient_step(params, grads, lr):
    """One step ``theta <- theta - lr * dJ/dtheta`` for every parameter; inputs are not changed.

    Parameters
    ----------
    params : dict of str -> ndarray or float
        E.g. ``{"W1": (d, p), "b1": (d, 1), ...}``.
    grads : dict of str -> ndarray or float
        Keyed ``"d" + name`` (``"dW1"``) or ``name``; each has its parameter's shape.
    lr : float
        Learning rate (eta in seed 000, alpha in seed 003).

    Returns
    -------
    dict of str -> ndarray (or float where the parameter was a float)
        New parameters, same keys and shapes.
    """
    new = {}
    for name, value in params.items():
        grad = grads["d" + name] if "d" + name in grads else grads[name]
        step = np.asarray(value, dtype=np.float64) - lr * np.asarray(grad, dtype=np.float64)
        new[name] = float(step) if np.ndim(value) == 0 else step
    return new
