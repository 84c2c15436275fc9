"""Per-example losses, their derivatives, and the batch cost (a mean; see conventions).

Shapes follow :mod:`autograder.conventions`: predictions and targets are
``(n_outputs, n_samples)`` arrays (or 1-D ``(n_samples,)`` for the one-input neuron), and a
per-example loss is one number per column.
"""
from __future__ import annotations

import numpy as np

from .activations import sigmoid


def squared_error(y_hat, y):
    """Per-example squared error ``1/2 * sum_k (y_hat_k - y_k)**2`` (seed 004).

    Parameters
    ----------
    y_hat, y : (n_outputs, n_samples) or (n_samples,) or scalar

    Returns
    -------
    ndarray of float64, shape (n_samples,) (or () for scalars / 1-D inputs of one output)
        For 1-D inputs each entry is one example, so the result keeps that shape.
    """
    y_hat = np.asarray(y_hat, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    sq = 0.5 * (y_hat - y) ** 2
    return sq.sum(axis=0) if sq.ndim == 2 else sq


def squared_error_grad(y_hat, y):
    """Derivative of the per-example squared error with respect to ``y_hat``: ``y_hat - y``."""
    return np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)


def bce_with_logits(z, y):
    """Per-example binary cross-entropy written in the logit ``z`` (seed 003).

    ``l = -[y log a + (1 - y) log(1 - a)]`` with ``a = sigmoid(z)`` simplifies to
    ``log(1 + e**z) - y*z``. ``np.logaddexp(0, z)`` evaluates ``log(1 + e**z)`` without overflow
    for large ``z`` and without losing digits for very negative ``z``.

    Parameters
    ----------
    z : array_like, logits, any shape
    y : array_like of 0/1 labels, broadcastable to ``z``

    Returns
    -------
    ndarray of float64, shape of ``z`` (with a leading axis of one output summed away if 2-D)
    """
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    loss = np.logaddexp(0.0, z) - y * z
    return loss.sum(axis=0) if loss.ndim == 2 else loss


def bce_with_logits_grad(z, y):
    """Derivative of :func:`bce_with_logits` with respect to ``z``: ``sigmoid(z) - y`` (= a - y).

    Seed 003 slips here (S3): writing ``y - a`` gives the gradient of the *negative* loss, so
    gradient descent with it climbs the loss.
    """
    return sigmoid(z) - np.asarray(y, dtype=np.float64)


def binary_cross_entropy(a, y, eps=1e-12):
    """Per-example cross-entropy from probabilities ``a`` (clipped to ``[eps, 1 - eps]``).

    Prefer :func:`bce_with_logits` when the logit is available: clipping changes the value for
    saturated predictions, the logit form does not.
    """
    a = np.clip(np.asarray(a, dtype=np.float64), eps, 1.0 - eps)
    y = np.asarray(y, dtype=np.float64)
    loss = -(y * np.log(a) + (1.0 - y) * np.log1p(-a))
    return loss.sum(axis=0) if loss.ndim == 2 else loss


def batch_cost(per_example_losses):
    """The cost of a batch: the mean of the per-example losses (:mod:`autograder.conventions`).

    Parameters
    ----------
    per_example_losses : (n_samples,) array_like

    Returns
    -------
    float
    """
    return float(np.mean(np.asarray(per_example_losses, dtype=np.float64)))
