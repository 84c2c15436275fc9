"""Gradient descent on logistic regression with ONE feature, seen in the plane of ``(w, b)``.

Lesson 3's model with ``p = 1``: ``a = σ(w x + b)`` on the standardised "mean radius" of the 569
tumours of the breast-cancer data (label 1 = benign, as in :mod:`autograder.explorer`). The cost
``J(w, b)``, the mean cross-entropy, is a surface over the plane; :func:`cost_grid` gives it on a
grid for contours, :func:`descent_path` the iterates of gradient descent from a start point, and
:func:`decision_boundary` the radius at which an iterate's model says 50 %.

The sign slip of seed 003 (slip S3: ``dJdz = y - a`` for ``a - y``) is the same loop with the
gradient's sign flipped: every step then goes *up* the surface (``slip=True``).

Every gradient comes from :func:`autograder.reference.logistic.logistic_gradients` and every
cost from :func:`autograder.reference.logistic.logistic_cost`, which the course gradient-checks.
"""
from __future__ import annotations

import numpy as np

from ..losses import bce_with_logits
from ..reference.logistic import logistic_cost, logistic_gradients

#: The plotted part of the plane: the minimum (near w = -3.9, b = 0.6) and the starts the
#: sliders allow.
W_RANGE = (-8.0, 4.0)
B_RANGE = (-5.0, 5.0)
#: A default first picture: a start far from the minimum and a learning rate that walks in.
DEFAULT = {"w0": 2.0, "b0": -3.0, "lr": 1.0, "n_iter": 60}
#: Beyond this size a parameter counts as run away (the rest of the path is nan).
LIMIT = 1e6


def data():
    """The feature and labels: ``x`` (1, 569) standardised mean radius, ``y`` (1, 569) 0/1."""
    from ..explorer import logistic_data

    x, y = logistic_data()
    return x[None, :], y[None, :]


def cost(w, b) -> float:
    """``J(w, b)``, the mean cross-entropy of the one-feature model (reference)."""
    X, y = data()
    return float(logistic_cost(np.array([[float(w)]]), float(b), X, y))


def cost_grid(n=120, w_range=W_RANGE, b_range=B_RANGE):
    """The cost on an ``n`` x ``n`` grid of the plane, for contours.

    Returns
    -------
    W, B, J : (n, n) ndarrays of float64
        ``J[i, j] = J(W[i, j], B[i, j])``; rows follow ``b``, columns ``w``.
    """
    X, y = data()
    W, B = np.meshgrid(np.linspace(*w_range, n), np.linspace(*b_range, n))
    z = W[..., None] * X[0] + B[..., None]  # (n, n, m)
    losses = bce_with_logits(z.ravel(), np.broadcast_to(y[0], z.shape).ravel())
    return W, B, losses.reshape(z.shape).mean(axis=-1)


def descent_path(w0=DEFAULT["w0"], b0=DEFAULT["b0"], lr=DEFAULT["lr"], n_iter=DEFAULT["n_iter"],
                 slip=False):
    """Gradient descent on ``J(w, b)`` from ``(w0, b0)``.

    Parameters
    ----------
    w0, b0 : float
        Start point.
    lr : float
        Learning rate, ``>= 0``.
    n_iter : int
        Steps.
    slip : bool
        Use seed 003's slip ``dJdz = y - a``: the gradient's sign is flipped and every step climbs.

    Returns
    -------
    path : (n_iter + 1, 2) ndarray of float64
        ``path[k] = (w_k, b_k)``; once a parameter passes ``LIMIT`` (or is not finite), that
        row and the rest are ``nan``.
    costs : (n_iter + 1,) ndarray of float64
        ``J`` at each finite iterate, ``nan`` after.
    """
    lr = float(lr)
    if not (np.isfinite(lr) and lr >= 0):
        raise ValueError(f"lr must be a finite number >= 0, not {lr!r}.")
    X, y = data()
    sign = -1.0 if slip else 1.0
    path = np.full((int(n_iter) + 1, 2), np.nan)
    costs = np.full(int(n_iter) + 1, np.nan)
    w, b = np.array([[float(w0)]]), float(b0)
    for k in range(int(n_iter) + 1):
        if not (np.isfinite(w[0, 0]) and np.isfinite(b)) or max(abs(w[0, 0]), abs(b)) > LIMIT:
            break
        path[k] = (w[0, 0], b)
        costs[k] = logistic_cost(w, b, X, y)
        if k == n_iter:
            break
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w - lr * sign * dw, b - lr * sign * db
    return path, costs


def decision_boundary(w, b):
    """The standardised radius where the model says 50 % benign: ``w x + b = 0``, so
    ``x = -b / w``; ``None`` when ``w = 0`` (no boundary: the same answer everywhere)."""
    w, b = float(w), float(b)
    return None if w == 0 or not np.isfinite(w) else -b / w


def minimum(tolerance=1e-12, max_steps=100):
    """The lowest point ``(w*, b*)`` of the cost, by Newton's method (the cost is convex)."""
    X, y = data()
    x = X[0]
    theta = np.zeros(2)
    for _ in range(max_steps):
        w, b = theta
        a = 1.0 / (1.0 + np.exp(-(w * x + b)))
        g = np.array([np.mean((a - y[0]) * x), np.mean(a - y[0])])
        s = a * (1 - a)
        H = np.array([[np.mean(s * x * x), np.mean(s * x)], [np.mean(s * x), np.mean(s)]])
        step = np.linalg.solve(H, g)
        theta = theta - step
        if np.max(np.abs(step)) < tolerance:
            return float(theta[0]), float(theta[1])
    raise RuntimeError("Newton's method did not converge on the one-feature logistic cost.")
