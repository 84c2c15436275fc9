"""Gradient descent on logistic regression with ONE feature, seen in the plane of ``(w, b)``.

Lesson 3's model with ``p = 1``: ``a = σ(w x + b)`` on the standardised "mean radius" of the 569
tumours of the breast-cancer data (label 1 = benign, as in :mod:`autograder.explorer`). The cost
``J(w, b)``, the mean cross-entropy, is a surface over the plane; :func:`cost_grid` gives it on a
grid for contours, :func:`descent_path` the iterates of gradient descent from a start point, and
:func:`decision_boundary` the radius at which an iterate's model says 50 %.

The sign slip of seed 003 (slip S3: ``dJdz = y - a`` for ``a - y``) is the same loop with the
gradient's sign flipped: every step then goes *up* the surface (``slip=True``).

Whose functions? :func:`descent_path` takes a ``cost`` and a ``gradients`` function, the
lesson's ``logistic_cost(w, b, X, y)`` and ``logistic_gradients(w, b, X, y)``: lesson 3 passes
the student's own (:func:`plane_descent`), which are first checked at the start point against
the surface's cost (:func:`cost`, the mean of :func:`autograder.losses.bce_with_logits`) and its
centred-difference slope. Omitted, or failing that check, the reference's are used where they are
installed (the repository, Binder; :mod:`autograder.reference.logistic`, gradient-checked by the
course); the student package holds no reference, and shows the student's path with a note.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..losses import bce_with_logits

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
    """``J(w, b)``, the mean cross-entropy of the one-feature model (the surface drawn)."""
    X, y = data()
    return float(np.mean(bce_with_logits(float(w) * X[0] + float(b), y[0])))


def reference_functions():
    """``(logistic_cost, logistic_gradients)`` of the reference, or ``None`` (student package)."""
    try:
        from ..reference.logistic import logistic_cost, logistic_gradients
    except ImportError:
        return None
    return logistic_cost, logistic_gradients


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
                 slip=False, cost=None, gradients=None):
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
    cost, gradients : callable, optional
        ``logistic_cost(w, b, X, y) -> float`` and ``logistic_gradients(w, b, X, y) -> (dw, db)``
        with ``w`` of shape (1, 1); the reference's when omitted.

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
    if cost is None or gradients is None:
        reference = reference_functions()
        if reference is None:
            raise RuntimeError("This installation holds no reference: pass your own "
                               "cost=logistic_cost, gradients=logistic_gradients.")
        cost, gradients = cost or reference[0], gradients or reference[1]
    logistic_cost, logistic_gradients = cost, gradients
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
        w = w - lr * sign * np.asarray(dw, dtype=np.float64).reshape(1, 1)
        b = float(b - lr * sign * np.asarray(db, dtype=np.float64).reshape(()))
    return path, costs


@dataclass(frozen=True)
class PlaneRun:
    """The path the 2-D view shows, and whose it is.

    Attributes
    ----------
    path : (n_iter + 1, 2) ndarray, costs : (n_iter + 1,) ndarray
        As :func:`descent_path` returns them.
    source : {"yours", "reference", "none"}
        Whose functions made them; ``"none"``: nothing could run (no path is drawn).
    note : str
        For the student: which function disagrees with the surface, raised or is not written
        yet; ``""`` when their own functions made the path.
    """

    path: np.ndarray
    costs: np.ndarray
    source: str
    note: str = ""


def function_problem(cost_fn, gradients_fn, w0, b0) -> str:
    """Do a student's ``logistic_cost`` and ``logistic_gradients`` agree, at ``(w0, b0)``, with
    the surface's cost and its centred-difference slope? A sentence if not, else ``""``."""
    X, y = data()
    w, b = np.array([[float(w0)]]), float(b0)
    for name, fn in (("logistic_cost", cost_fn), ("logistic_gradients", gradients_fn)):
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                value = fn(w.copy(), b, X.copy(), y.copy())
            if name == "logistic_cost":
                mine = float(np.asarray(value, dtype=np.float64).reshape(()))
                if not np.isclose(mine, cost(w0, b0), rtol=1e-7, atol=1e-12):
                    return (f"Your logistic_cost gives {mine:.6g} at w = {float(w0):.3g}, "
                            f"b = {float(b0):.3g}; the surface drawn has {cost(w0, b0):.6g} "
                            "there.")
            else:
                dw, db = value
                mine = np.array([np.asarray(dw, dtype=np.float64).reshape(()),
                                 np.asarray(db, dtype=np.float64).reshape(())])
        except NotImplementedError:
            return f"Your {name} is not written yet."
        except Exception as error:  # noqa: BLE001 - the student's bug, reported in the note
            return f"Your {name} raised {type(error).__name__}: {error}"
    h = 1e-6
    slope = np.array([(cost(w0 + h, b0) - cost(w0 - h, b0)) / (2 * h),
                      (cost(w0, b0 + h) - cost(w0, b0 - h)) / (2 * h)])
    if not np.allclose(mine, slope, rtol=1e-5, atol=1e-8):
        return (f"Your logistic_gradients gives (dw, db) = ({mine[0]:.6g}, {mine[1]:.6g}) at "
                f"w = {float(w0):.3g}, b = {float(b0):.3g}; the slope of the surface there is "
                f"({slope[0]:.6g}, {slope[1]:.6g}) (centred differences).")
    return ""


def plane_descent(w0, b0, lr, n_iter, slip=False, cost_fn=None, gradients_fn=None) -> PlaneRun:
    """The 2-D view's run: the student's functions when they agree with the surface, else the
    reference's (where installed). Never raises for a student's function: see ``note``."""
    reference = reference_functions()
    note = "" if cost_fn is None or gradients_fn is None else \
        function_problem(cost_fn, gradients_fn, w0, b0)
    mine = cost_fn is not None and gradients_fn is not None
    if mine and not note:
        try:
            return PlaneRun(*descent_path(w0, b0, lr, n_iter, slip, cost_fn, gradients_fn),
                            "yours")
        except Exception as error:  # noqa: BLE001 - raised later on the path
            note = f"Your functions raised {type(error).__name__} on the path: {error}"
    if reference is not None:
        tail = (" The picture shows the reference's path; fix your function and run this cell "
                "again." if note else "")
        return PlaneRun(*descent_path(w0, b0, lr, n_iter, slip, *reference), "reference",
                        note + tail)
    if not mine:
        note = ("Pass your own functions to see their descent: "
                "descent_plane(cost=logistic_cost, gradients=logistic_gradients).")
    elif "not written yet" not in note and "raised" not in note:
        try:
            return PlaneRun(*descent_path(w0, b0, lr, n_iter, slip, cost_fn, gradients_fn),
                            "yours", note + " The picture shows your path.")
        except Exception:  # noqa: BLE001 - nothing to draw: the note says why
            pass
    empty, costs = np.full((int(n_iter) + 1, 2), np.nan), np.full(int(n_iter) + 1, np.nan)
    empty[0], costs[0] = (float(w0), float(b0)), cost(w0, b0)  # the start, on the surface
    return PlaneRun(empty, costs, "none",
                    note + " Run their cells, then run this cell again.")


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
