"""Logistic regression, vectorised over examples (seed 003; lesson 03_logistic_regression).

Shapes follow :mod:`autograder.conventions` (examples as columns) and seed 003's layout:

==========  ==============  ================================================
name        shape           meaning
==========  ==============  ================================================
``X``       ``(p, m)``      ``p`` features, one example per column
``y``       ``(1, m)``      0/1 labels, one per column
``w``       ``(p, 1)``      one weight per feature
``b``       float           the bias (intercept)
``z, a``    ``(1, m)``      logits ``w^T X + b`` and probabilities ``sigma(z)``
==========  ==============  ================================================

The cost is the **mean** binary cross-entropy, evaluated from the logit so that it stays finite
for any ``z``: ``J = 1/m sum_i [log(1 + e^{z_i}) - y_i z_i]``. Seed 003 sums over examples
instead; the sum is ``m`` times the mean, so it only rescales the learning rate.

``dJdz`` in this module is the *per-example* derivative ``dl_i/dz_i = a_i - y_i`` (seed 003's
``dJdz``); the derivative of the mean cost with respect to ``z_i`` is that divided by ``m``, and
the ``1/m`` is applied once, where the gradients of the parameters are assembled.
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid, tanh
from ..losses import batch_cost, bce_with_logits, bce_with_logits_grad


def _as_float(*arrays):
    return tuple(np.asarray(a, dtype=np.float64) for a in arrays)


def _scalar(b):
    """A bias given as a float, a numpy scalar or a size-1 array, as a Python float."""
    return float(np.asarray(b, dtype=np.float64).reshape(()))


def logistic_logits(w, b, X):
    """The logits ``z = w^T X + b`` of every example (seed 003, item 003-6).

    Parameters
    ----------
    w : (p, 1) ndarray
    b : float
    X : (p, m) ndarray

    Returns
    -------
    z : (1, m) ndarray of float64
    """
    w, X = _as_float(w, X)
    return w.T @ X + _scalar(b)


def logistic_forward(w, b, X):
    """Forward pass of logistic regression: logits and probabilities (003-6).

    Parameters
    ----------
    w : (p, 1) ndarray
    b : float
    X : (p, m) ndarray

    Returns
    -------
    z : (1, m) ndarray, ``w^T X + b``
    a : (1, m) ndarray, ``sigma(z)``, the probability that each label is 1
    """
    z = logistic_logits(w, b, X)
    return z, sigmoid(z)


def logistic_cost(w, b, X, y):
    """Mean negative log-likelihood (binary cross-entropy) of the labels (003-1, 003-7).

    Computed from the logit, ``l_i = log(1 + e^{z_i}) - y_i z_i``, which never takes the log of
    a probability that has rounded to 0 or 1.

    Parameters
    ----------
    w : (p, 1) ndarray
    b : float
    X : (p, m) ndarray
    y : (1, m) ndarray of 0/1

    Returns
    -------
    float
    """
    z = logistic_logits(w, b, X)
    return batch_cost(bce_with_logits(z, y))


def logistic_dJdz(z, y):
    """Per-example derivative of the loss with respect to the logit: ``a - y`` (003-8).

    Seed 003's last line writes ``y - a`` (slip S3); that is the gradient of the
    log-likelihood, and gradient descent with it climbs the loss.

    Parameters
    ----------
    z : (1, m) ndarray, logits
    y : (1, m) ndarray of 0/1

    Returns
    -------
    (1, m) ndarray of float64
    """
    return bce_with_logits_grad(z, y)


def logistic_gradients(w, b, X, y):
    """Gradient of the mean cost with respect to ``w`` and ``b``, vectorised (003-9, 003-10).

    ``dz_i/db = 1`` and ``grad_w z_i = x_i``, so with ``dJdz = a - y`` of shape (1, m)::

        dJdb = mean(dJdz)            (seed 003: sum(dJdz) = m * mean)
        dJdw = X @ dJdz.T / m        (seed 003: X @ dJdz.T, the sum over examples)

    Parameters
    ----------
    w : (p, 1) ndarray
    b : float
    X : (p, m) ndarray
    y : (1, m) ndarray of 0/1

    Returns
    -------
    dw : (p, 1) ndarray
    db : float
    """
    X, y = _as_float(X, y)
    m = X.shape[1]
    dJdz = logistic_dJdz(logistic_logits(w, b, X), y)  # computed once, reused by every parameter
    dw = X @ dJdz.T / m
    db = float(np.mean(dJdz))
    return dw, db


def logistic_gradients_loop(w, b, X, y):
    """The same gradients as :func:`logistic_gradients`, one example at a time (003-11).

    For each example the scalar ``dJ/dz`` is computed once and reused for the bias and for every
    weight; the loop exists to be compared (and timed) against the vectorised version.

    Parameters, Returns
    -------------------
    As :func:`logistic_gradients`.
    """
    w, X, y = _as_float(w, X, y)
    p, m = X.shape
    dw = np.zeros((p, 1))
    db = 0.0
    for i in range(m):
        x_i = X[:, i:i + 1]                          # (p, 1)
        z_i = float(w[:, 0] @ x_i[:, 0]) + _scalar(b)
        dJdz_i = float(bce_with_logits_grad(z_i, y[0, i]))
        db += dJdz_i * 1.0                           # dz/db = 1
        dw += dJdz_i * x_i                           # grad_w z = x
    return dw / m, db / m


def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    """Full-batch gradient descent on the mean cost (seed 003's algorithm, vector form).

    Parameters
    ----------
    X : (p, m) ndarray
    y : (1, m) ndarray of 0/1
    lr : float
        Learning rate (alpha in seed 003).
    n_iter : int
        Number of steps.
    w0 : (p, 1) ndarray, optional
        Initial weights; zeros when omitted. Not modified.
    b0 : float
        Initial bias.

    Returns
    -------
    w : (p, 1) ndarray
    b : float
    costs : (n_iter + 1,) ndarray
        ``costs[k]`` is the cost after ``k`` steps (``costs[0]`` at the initial parameters).
    """
    X, y = _as_float(X, y)
    w = np.zeros((X.shape[0], 1)) if w0 is None else np.array(w0, dtype=np.float64, copy=True)
    b = _scalar(b0)
    costs = np.empty(int(n_iter) + 1)
    costs[0] = logistic_cost(w, b, X, y)
    for k in range(int(n_iter)):
        dw, db = logistic_gradients(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
        costs[k + 1] = logistic_cost(w, b, X, y)
    return w, b, costs


def logistic_predict(w, b, X):
    """Predicted labels: 1 where ``a >= 1/2``, that is where ``z >= 0``.

    Parameters
    ----------
    w : (p, 1) ndarray
    b : float
    X : (p, m) ndarray

    Returns
    -------
    (1, m) ndarray of float64 holding 0.0 or 1.0
    """
    return (logistic_logits(w, b, X) >= 0.0).astype(np.float64)


def forward_composition(params, X):
    """Seed 003's three-layer network (tanh, tanh, sigmoid) as one composed expression (003-5).

    ``a^[3] = g3(b3 + W3 g2(b2 + W2 g1(b1 + W1 a^[0])))`` with ``a^[0] = X``. Seed 003 writes
    ``w^[l]T`` for the weights of a layer; here ``W^[l]`` (n_out, n_in) already holds one row per
    unit, as in :mod:`autograder.conventions`.

    Parameters
    ----------
    params : dict
        ``W1`` (d1, p), ``b1`` (d1, 1), ``W2`` (d2, d1), ``b2`` (d2, 1), ``W3`` (1, d2),
        ``b3`` (1, 1).
    X : (p, m) ndarray

    Returns
    -------
    (1, m) ndarray, the output ``a^[3]``
    """
    P = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    X = np.asarray(X, dtype=np.float64)
    return sigmoid(P["b3"] + P["W3"] @ tanh(P["b2"] + P["W2"] @ tanh(P["b1"] + P["W1"] @ X)))
