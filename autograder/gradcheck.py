"""Gradient checking: compare an analytic gradient with numerical differences.

Parameters are a dict of float64 arrays (``{"W1": ..., "b1": ...}``); the analytic gradient is a
dict with the same keys, either as given (``"W1"``) or with a ``d`` in front (``"dW1"``), the
names the backward passes in this package return. The cost is a function of the parameter dict
that returns a float.

Numerical gradient
------------------
Centred differences ``D(h) = (f(p + h) - f(p - h)) / (2h)`` have a truncation error of order
``h**2`` and a rounding error of order ``eps_machine * |f| / h``. One Richardson step,
``(4 D(h/2) - D(h)) / 3``, cancels the ``h**2`` term, so a larger step (``h = 1e-3``) can be used
and the rounding error stays near ``1e-12 * |f|`` (measured: up to about ``2e-12 * |f|``).
``method="centred"`` gives the plain formula; its step, 1e-5, is near the best one for it,
``(3 eps_machine)**(1/3)``, where truncation and rounding errors (both about 1e-11) balance.

Relative error and thresholds
-----------------------------
For each entry, ``|a - n| / max(tiny, |a| + |n|)``. ``tiny`` (1e-3) is where an entry counts as
zero: below it the error is measured absolutely against ``tiny``, because a relative error of two
numbers that are both rounding noise means nothing. An entry below ``tiny`` must therefore agree
to ``threshold * tiny = 1e-10`` absolutely, about 100 times the rounding noise for a cost of
order 1. (With the earlier ``tiny = 1e-5`` that bound was 1e-12, below the noise itself: a
*correct* backward pass of a small sigmoid network with weights of scale 2 to 3 failed in 3 to 20
per cent of random draws.) The default threshold is 1e-7: for smooth
functions in float64 a correct gradient lands near 1e-10 or below, and every bug we have planted
(a sign, a transpose, sigma for sigma', a missing 1/m, a missing bias term) gives 1e-3 or more.
Near a kink (ReLU at 0) numerical differences are not reliable; keep inputs away from kinks.

What a relative error says (derived in tests/unit/test_gradcheck.py)
----------------------------------------------------------------
With ``r = |a - n| / (|a| + |n|)`` (both entries above ``tiny``):

* same signs, ``a = c n`` with ``c > 0``: ``r = |c - 1| / (c + 1)``, so ``c = (1 + r) / (1 - r)``
  or its inverse. A factor of 2 (``c = 2`` or ``1/2``) gives exactly ``1/3``; a factor of ``k``
  gives ``(k - 1) / (k + 1) = 1 - 2 / (k + 1)``, so a missing (or extra) ``1/m`` gives
  ``(m - 1) / (m + 1)``, about ``1 - 2/m`` (0.96 at m = 50); r = 0.5 is a factor of 3.
* a small relative difference ``a = n (1 + e)`` gives ``r = |e| / (2 + e)``, about ``|e| / 2``.
* opposite signs give exactly 1, whatever the sizes: ``(|a| + |n|) / (|a| + |n|)``; so does one
  side being exactly 0 (a term never computed, a gradient left at zeros).
* below ``tiny`` the denominator is ``tiny``, so ``r = |a - n| / tiny`` is an absolute error.
:func:`explain` turns a failing entry into one of these sentences.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Pass/fail threshold on the largest relative error of a parameter (see module docstring).
DEFAULT_THRESHOLD = 1e-7
#: Magnitude below which a gradient entry counts as zero in the relative error.
DEFAULT_TINY = 1e-3  # was 1e-5: false failures on near-zero entries, see the module docstring
#: Base step of the numerical differences (Richardson) and of the plain centred formula.
# centred was 1e-6: a rounding error near 1e-10 * |f| made correct gradients fail the 1e-7
# threshold in about 10% of random small sigmoid networks; 1e-5 balances the two errors.
DEFAULT_STEP = {"richardson": 1e-3, "centred": 1e-5}


def _step(method, h):
    """The step to use; an unknown method is a ValueError here, not a KeyError of the dict."""
    if method not in DEFAULT_STEP:
        raise ValueError(f"method must be 'richardson' or 'centred', not {method!r}.")
    return DEFAULT_STEP[method] if h is None else float(h)


def _as_float_params(params):
    """Copy a parameter dict to fresh float64 arrays (the caller's arrays are never touched)."""
    if not isinstance(params, dict) or not params:
        raise TypeError("params must be a non-empty dict of arrays, e.g. {'W1': W1, 'b1': b1}.")
    return {name: np.array(value, dtype=np.float64, copy=True) for name, value in params.items()}


def _cost(f, params):
    value = f(params)
    try:
        value = float(np.asarray(value, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        raise TypeError(
            f"The cost function must return one number; it returned {type(value).__name__} "
            f"with shape {np.shape(value)}."
        ) from None
    return value


def _difference(f, params, direction, h, method):
    """Numerical directional derivative of ``f`` at ``params`` along ``direction`` (a dict)."""

    def central(step):
        plus = {k: params[k] + step * direction[k] for k in params}
        minus = {k: params[k] - step * direction[k] for k in params}
        return (_cost(f, plus) - _cost(f, minus)) / (2.0 * step)

    if method == "centred":
        return central(h)
    if method == "richardson":
        return (4.0 * central(h / 2.0) - central(h)) / 3.0
    raise ValueError(f"method must be 'richardson' or 'centred', not {method!r}.")


def numerical_gradient(f, params, h=None, method="richardson"):
    """Numerical gradient of ``f`` with respect to every entry of every parameter.

    Parameters
    ----------
    f : callable
        ``f(params) -> float``; called with copies, so it may not change the caller's arrays.
    params : dict of str -> array_like
    h : float, optional
        Step; defaults to ``DEFAULT_STEP[method]``.
    method : {"richardson", "centred"}

    Returns
    -------
    dict of str -> ndarray
        Same keys and shapes as ``params``.
    """
    params = _as_float_params(params)
    h = _step(method, h)
    zeros = {k: np.zeros_like(v) for k, v in params.items()}
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            direction = dict(zeros)
            unit = np.zeros_like(value)
            unit[index] = 1.0
            direction[name] = unit
            grad[index] = _difference(f, params, direction, h, method)
        grads[name] = grad
    return grads


def relative_error(analytic, numeric, tiny=DEFAULT_TINY):
    """Elementwise ``|a - n| / max(tiny, |a| + |n|)``.

    Parameters
    ----------
    analytic, numeric : array_like of the same shape
    tiny : float
        Magnitude below which entries count as zero (see the module docstring).

    Returns
    -------
    ndarray of float64, same shape
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    # An infinite gradient gives inf / inf = NaN here, quietly; the callers report it as a failure.
    with np.errstate(invalid="ignore", over="ignore"):
        return np.abs(a - n) / np.maximum(tiny, np.abs(a) + np.abs(n))


def factor_of(r):
    """The ratio ``c >= 1`` between two same-sign entries whose relative error is ``r < 1``.

    From ``r = (c - 1) / (c + 1)`` (module docstring): ``c = (1 + r) / (1 - r)``.
    """
    return (1.0 + r) / (1.0 - r)


def explain(analytic, numeric, tiny=DEFAULT_TINY):
    """One sentence on what the relative error of one entry points at.

    Parameters
    ----------
    analytic, numeric : float
        The two values of the worst entry (a ``ParameterCheck``'s ``analytic`` and ``numeric``).
    tiny : float
        As in :func:`relative_error`.

    Returns
    -------
    str
        Names the range the error falls in (see "What a relative error says" in the module
        docstring): exactly 1 (opposite signs, or one side 0), a factor ``c`` between same-sign
        entries (``1/3`` for 2, ``(m - 1)/(m + 1)`` for a missing ``1/m``), a small difference,
        or an absolute error below ``tiny``.
    """
    a, n = float(analytic), float(numeric)
    if not (np.isfinite(a) and np.isfinite(n)):
        return ("the analytic gradient is not finite (NaN or inf): look for exp() of a large "
                "number, log(0) or a division by zero.")
    r = float(relative_error(a, n, tiny))
    if abs(a) + abs(n) < tiny:
        return (f"both entries are below {tiny:g}, so the error {r:.2g} is |a - n| / {tiny:g}, "
                "an absolute difference: a small term is missing or extra.")
    if a == 0.0 or n == 0.0:
        zero = "analytic" if a == 0.0 else "numerical"
        return (f"relative error exactly 1 because the {zero} entry is 0: a term never "
                "computed, or a gradient left at zeros" + (
                    "." if zero == "analytic" else
                    " (or this parameter does not change the cost as you compute it)."))
    if (a > 0) != (n > 0):
        if abs(abs(a) - abs(n)) <= 1e-6 * max(abs(a), abs(n)):
            return ("relative error exactly 1 because the signs are opposite and the sizes "
                    "agree: the analytic value is minus the numerical one, a flipped sign and "
                    "nothing else (a difference taken the wrong way round, or + for -).")
        return ("relative error exactly 1 because the signs are opposite (the error cannot show "
                f"more), but the sizes differ too ({abs(a):.3g} against {abs(n):.3g}): not a "
                "sign alone, the code computes a different quantity (another weight or "
                "activation, a factor missing or extra), perhaps with a sign slip as well.")
    c = factor_of(r)
    bigger = "analytic" if abs(a) > abs(n) else "numerical"
    if r < 1e-3:
        return (f"relative error {r:.2g}: the two agree to about {2 * r:.2g} relatively "
                "(r is about half the relative difference). A small missing term, a kink "
                "(ReLU at 0) near the point, or a step too large for this cost.")
    text = (f"relative error {r:.3g}, same signs: the {bigger} entry is {c:.3g} times the other "
            "(a factor c gives (c - 1)/(c + 1)).")
    k = round(c)
    if k >= 2 and abs(c - k) < 1e-3 * k:
        if k == 2:
            text += " A factor of 2 (r = 1/3): a 1/2 in the loss, or a term counted twice."
        else:
            text += (f" A factor of exactly {k} (r = {k - 1}/{k + 1}): a missing or extra 1/m "
                     f"with m = {k} examples, or a sum where a mean belongs.")
    else:
        text += " A wrong factor or a missing term (more than a rounding difference)."
    return text


@dataclass
class ParameterCheck:
    """The result for one parameter: its largest relative error and where it occurs."""

    name: str
    max_relative_error: float
    worst_index: tuple
    analytic: float
    numeric: float
    passed: bool


@dataclass
class GradCheckReport:
    """Per-parameter results of a gradient check. ``bool(report)`` is whether all passed."""

    rows: list = field(default_factory=list)
    threshold: float = DEFAULT_THRESHOLD
    kind: str = "entrywise"
    tiny: float = DEFAULT_TINY

    @property
    def passed(self) -> bool:
        return all(row.passed for row in self.rows)

    def __bool__(self) -> bool:
        return self.passed

    def __getitem__(self, name) -> ParameterCheck:
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(name)

    def failures(self):
        """The rows that did not pass."""
        return [row for row in self.rows if not row.passed]

    def __str__(self) -> str:
        lines = [
            f"Gradient check ({self.kind}, threshold {self.threshold:.0e}): "
            + ("PASSED" if self.passed else "FAILED"),
            f"{'parameter':<12}{'max rel. error':>16}  {'worst index':<14}"
            f"{'analytic':>14}{'numerical':>14}  result",
        ]
        for row in self.rows:
            lines.append(
                f"{row.name:<12}{row.max_relative_error:>16.2e}  {str(row.worst_index):<14}"
                f"{row.analytic:>14.6g}{row.numeric:>14.6g}  {'ok' if row.passed else 'FAIL'}"
            )
        if not self.passed:
            names = ", ".join(row.name for row in self.failures())
            lines.append(f"Look at the backward code of: {names}.")
            for row in self.failures():
                lines.append(f"  {row.name}: {explain(row.analytic, row.numeric, tiny=self.tiny)}")
        return "\n".join(lines)

    __repr__ = __str__


def _grad_for(grads, name):
    """Find the analytic gradient of parameter ``name``: key ``name`` or ``'d' + name``."""
    for key in (name, "d" + name):
        if key in grads:
            return np.asarray(grads[key], dtype=np.float64)
    raise KeyError(
        f"No gradient for parameter {name!r}: expected a key {name!r} or {'d' + name!r} "
        f"in the gradients, found {sorted(grads)}."
    )


def gradient_check(f, params, grads, threshold=DEFAULT_THRESHOLD, tiny=DEFAULT_TINY,
                   h=None, method="richardson"):
    """Compare analytic gradients with numerical ones, entry by entry, parameter by parameter.

    Parameters
    ----------
    f : callable, ``f(params) -> float``
    params : dict of str -> array_like
    grads : dict of str -> array_like
        Analytic gradients keyed ``name`` or ``"d" + name``; each must have the parameter's shape.
    threshold, tiny, h, method : see the module docstring

    Returns
    -------
    GradCheckReport
        One row per parameter, in the order of ``params``.
    """
    params = _as_float_params(params)
    numeric = numerical_gradient(f, params, h=h, method=method)
    report = GradCheckReport(threshold=threshold, kind="entrywise", tiny=tiny)
    for name, value in params.items():
        analytic = _grad_for(grads, name)
        if analytic.shape != value.shape:
            raise ValueError(
                f"The gradient for {name!r} has shape {analytic.shape}, but {name!r} has shape "
                f"{value.shape}. A gradient always has the shape of its parameter."
            )
        errors = relative_error(analytic, numeric[name], tiny)
        if not np.all(np.isfinite(analytic)):
            errors = np.where(np.isfinite(analytic), errors, np.inf)
        worst = np.unravel_index(int(np.argmax(errors)), errors.shape) if errors.size else ()
        worst_error = float(errors[worst]) if errors.size else 0.0
        report.rows.append(ParameterCheck(
            name=name,
            max_relative_error=worst_error,
            worst_index=tuple(int(i) for i in worst),
            analytic=float(analytic[worst]) if errors.size else 0.0,
            numeric=float(numeric[name][worst]) if errors.size else 0.0,
            passed=bool(worst_error <= threshold),
        ))
    return report


def directional_check(f, params, grads, n_directions=3, seed=0, threshold=DEFAULT_THRESHOLD,
                      tiny=DEFAULT_TINY, h=None, method="richardson"):
    """Check the gradient along random directions: a few cost evaluations, whatever the size.

    For a random direction ``d`` (one standard normal array per parameter, scaled to unit total
    norm) the numerical directional derivative ``(f(p + h d) - f(p - h d)) / 2h`` must equal
    ``sum_k <grad_k, d_k>``. Each parameter is also checked alone (``d`` zero elsewhere), so a
    bug in a small bias is not hidden behind a large weight matrix.

    Returns
    -------
    GradCheckReport
        One row per parameter; ``worst_index`` is the index of the worst direction.
    """
    params = _as_float_params(params)
    h = _step(method, h)
    rng = np.random.default_rng(seed)
    report = GradCheckReport(threshold=threshold, kind=f"{n_directions} random directions",
                             tiny=tiny)
    for name, value in params.items():
        analytic_grad = _grad_for(grads, name)
        if analytic_grad.shape != value.shape:
            raise ValueError(
                f"The gradient for {name!r} has shape {analytic_grad.shape}, but {name!r} has "
                f"shape {value.shape}."
            )
        worst = (-1.0, 0, 0.0, 0.0)
        for k in range(n_directions):
            d = rng.standard_normal(value.shape)
            d /= max(np.linalg.norm(d), 1e-300)
            direction = {other: np.zeros_like(v) for other, v in params.items()}
            direction[name] = d
            analytic = float(np.sum(analytic_grad * d))
            numeric = _difference(f, params, direction, h, method)
            error = float(relative_error(analytic, numeric, tiny))
            if not np.isfinite(error):  # NaN compares False below: it would leave the row passing
                error = np.inf
            if error > worst[0]:
                worst = (error, k, analytic, numeric)
        report.rows.append(ParameterCheck(name, worst[0], (worst[1],), worst[2], worst[3],
                                          bool(worst[0] <= threshold)))
    return report


def assert_gradients_close(f, params, grads, threshold=DEFAULT_THRESHOLD, **kwargs):
    """Raise ``AssertionError`` with the per-parameter report unless every parameter passes.

    The default threshold, 1e-7, is the one CS231n recommends for smooth functions in float64;
    see the module docstring for why a correct gradient lands far below it.
    """
    report = gradient_check(f, params, grads, threshold=threshold, **kwargs)
    if not report.passed:
        raise AssertionError(str(report))
    return report
