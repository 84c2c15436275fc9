"""Gradient descent on a cost ``J``: one parameter (seed 003, 003-3) and several (003-4).

The update is the same everywhere: move each parameter against its own partial derivative,
``theta <- theta - lr * dJ/dtheta`` (seed 003 writes the learning rate ``alpha``, seed 000
``eta``; the code says ``lr``). Both functions here return the whole path, starting point
included, because the path is what a learner looks at: does it settle, oscillate or blow up?

Divergence
----------
With too large a learning rate the iterates grow without bound and eventually overflow. That is
a result to show, not an error, so nothing here warns or raises: arithmetic runs under
``np.errstate(all="ignore")``, and from the first iterate that is not finite (``inf`` or
``nan``) onwards every entry of the path is ``nan``, and the gradient is not evaluated again
(a user's ``dJ`` might raise, or be slow, on ``inf``). ``np.isfinite(path)`` then marks the
useful part, and matplotlib leaves the ``nan`` entries out of a plot.
"""
from __future__ import annotations

import numpy as np

from .update import gradient_step


def _check_schedule(lr, n_iter):
    """Validate the learning rate and the number of iterations; return them as float, int."""
    if isinstance(n_iter, bool) or int(n_iter) != n_iter or n_iter < 0:
        raise ValueError(f"n_iter must be a non-negative integer, not {n_iter!r}.")
    lr = float(lr)
    if not np.isfinite(lr):
        raise ValueError(f"lr must be a finite number, not {lr!r}.")
    return lr, int(n_iter)


def _slope(dJ, w):
    """``float(dJ(w))``; an overflow inside ``dJ`` (Python's ``math.exp``) counts as ``inf``."""
    value = _overflow_as_none(dJ, w)
    if value is None:
        return np.inf
    value = np.asarray(value, dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"dJ(w) must return one number; it returned shape {value.shape}.")
    return float(value.reshape(()))


def _overflow_as_none(function, argument):
    """``function(argument)``, or ``None`` if Python float arithmetic inside it overflowed.

    numpy overflows to ``inf`` quietly (under ``errstate``), but Python floats raise
    ``OverflowError`` (``math.exp(800)``, ``1e200 ** 3``): both mean the run has diverged.
    """
    try:
        return function(argument)
    except OverflowError:
        return None


def gradient_descent_1d(dJ, w0, lr, n_iter):
    """Gradient descent on a cost of one parameter: ``w <- w - lr * dJ(w)``, ``n_iter`` times.

    This is seed 003's algorithm (initial ``w``, learning rate ``alpha``, ``n_iter``), returning
    every iterate instead of only the last one.

    Parameters
    ----------
    dJ : callable
        ``dJ(w) -> float``, the derivative of the cost at ``w``.
    w0 : float
        Starting point.
    lr : float
        Learning rate (``alpha`` in seed 003), finite.
    n_iter : int
        Number of updates, ``>= 0``.

    Returns
    -------
    path : (n_iter + 1,) ndarray of float64
        ``path[0] = w0`` and ``path[k + 1] = path[k] - lr * dJ(path[k])``; from the first entry
        that is not finite onwards, every entry is ``nan`` (see the module docstring).
    """
    lr, n_iter = _check_schedule(lr, n_iter)
    path = np.full(n_iter + 1, np.nan, dtype=np.float64)
    w = float(np.asarray(w0, dtype=np.float64).reshape(()))
    path[0] = w
    with np.errstate(all="ignore"):
        for k in range(n_iter):
            if not np.isfinite(w):
                break
            w = w - lr * _slope(dJ, w)
            path[k + 1] = w
    # The divergence rule: the first non-finite iterate and everything after it become nan.
    bad = np.flatnonzero(~np.isfinite(path))
    if bad.size:
        path[bad[0]:] = np.nan
    return path


def _is_finite_params(params):
    return all(np.all(np.isfinite(np.asarray(v, dtype=np.float64))) for v in params.values())


def _nan_like(params):
    return {k: (np.nan if np.ndim(v) == 0 else np.full(np.shape(v), np.nan)) for k, v in
            params.items()}


def gradient_descent(grad, theta0, lr, n_iter):
    """Gradient descent on a cost of several parameters (seed 003, item 003-4).

    Every parameter moves against its own partial derivative at the same time,
    ``theta <- theta - lr * grad(theta)``. The gradient must list the partial derivatives in the
    order (or under the names) of the parameters: seed 003 writes ``[dJ/db, dJ/dw]`` next to the
    parameter vector ``[w, b]``, and subtracting that vector as written moves ``w`` by ``dJ/db``.

    Parameters
    ----------
    grad : callable
        ``grad(theta)`` returns the gradient at ``theta``: an array of the shape of ``theta``,
        or, for a dict ``theta``, a dict with a key ``name`` or ``"d" + name`` per parameter.
    theta0 : array_like (any shape, e.g. ``(2,)`` for ``[w, b]``) or dict of str -> array_like
        Starting point; it is not modified.
    lr : float
        Learning rate, finite.
    n_iter : int
        Number of updates, ``>= 0``.

    Returns
    -------
    theta : ndarray of the shape of ``theta0``, or dict of the same keys and shapes
        The last iterate (``nan`` if the run diverged).
    history : ndarray of shape ``(n_iter + 1,) + theta0.shape``, or list of ``n_iter + 1`` dicts
        Every iterate, ``history[0]`` equal to ``theta0``; once any entry of an iterate is not
        finite, that iterate and all later ones are entirely ``nan``.
    """
    lr, n_iter = _check_schedule(lr, n_iter)
    if isinstance(theta0, dict):
        return _descend_dict(grad, theta0, lr, n_iter)
    theta = np.array(theta0, dtype=np.float64, copy=True)
    history = np.full((n_iter + 1,) + theta.shape, np.nan, dtype=np.float64)
    history[0] = theta
    with np.errstate(all="ignore"):
        for k in range(n_iter):
            if not np.all(np.isfinite(theta)):
                break
            step = _overflow_as_none(grad, theta.copy())
            if step is None:
                break
            step = np.asarray(step, dtype=np.float64)
            if step.shape != theta.shape:
                raise ValueError(
                    f"grad(theta) has shape {step.shape}; it must have the shape of theta, "
                    f"{theta.shape}: one partial derivative per parameter, in the same order."
                )
            theta = theta - lr * step
            history[k + 1] = theta
    finite = np.all(np.isfinite(history.reshape(n_iter + 1, -1)), axis=1)
    if not finite.all():
        history[np.argmin(finite):] = np.nan
    return history[-1].copy(), history


def _descend_dict(grad, theta0, lr, n_iter):
    """The dict form of :func:`gradient_descent`, one :func:`gradient_step` per iteration."""
    theta = {k: (float(v) if np.ndim(v) == 0 else np.array(v, dtype=np.float64, copy=True))
             for k, v in theta0.items()}
    history = [theta]
    with np.errstate(all="ignore"):
        for _ in range(n_iter):
            if not _is_finite_params(theta):
                history.append(_nan_like(theta))
                continue
            copies = {k: (v if np.ndim(v) == 0 else v.copy()) for k, v in theta.items()}
            grads = _overflow_as_none(grad, copies)
            theta = _nan_like(theta) if grads is None else gradient_step(theta, grads, lr)
            history.append(theta)
    for k, params in enumerate(history):
        if not _is_finite_params(params):
            history[k:] = [_nan_like(params) for _ in history[k:]]
            break
    last = {k: (v if np.ndim(v) == 0 else v.copy()) for k, v in history[-1].items()}
    return last, history
