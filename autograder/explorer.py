"""Gradient descent on a cost J(w) of one weight: the mathematics behind the explorer widget.

Seed 003 (page 2) runs gradient descent on a cost of a single weight: start at ``w0``, then
``n_iter`` times step against the slope, ``w <- w - lr * dJ/dw(w)`` (the seed calls the learning
rate ``alpha``). This module holds everything about that picture that can be computed and tested
without a screen: three curves to descend, the run itself, a diagnosis in plain words, and the
data the widget plots. :mod:`autograder.widgets` only draws it.

The three curves
----------------
``"quadratic"``
    ``J(w) = (w - 2)**2 / 2 + 1``: convex, minimum ``J = 1`` at ``w = 2``, slope ``w - 2``.
``"nonconvex"``
    ``J(w) = w**4/8 + w**3/12 - 3 w**2/4 + 2``, slope ``w (w + 2)(2w - 3) / 4``: a lower valley
    at ``w = -2`` (``J = 1/3``), a higher one at ``w = 3/2`` (``J = 157/128``) and a hump at
    ``w = 0``. Started right of the hump, descent ends in the higher valley; left of it, in the
    lower one.
``"logistic_nll"``
    The mean logistic negative log-likelihood of one weight on real data: the standardised
    "mean radius" of the 569 tumours of the breast-cancer data (:func:`autograder.datasets.
    load_breast_cancer`, label 1 = benign), with the bias fixed at ``LOGISTIC_BIAS = 0`` (the
    model then says 50 % benign at the average radius). Convex; its minimum is found by Newton's
    method and lies near ``w = -3.87``: a larger tumour is less likely to be benign.

When does the step size work?
-----------------------------
On the quadratic the distance to the minimum is multiplied by the same factor at every step:
``w_{k+1} - 2 = (w_k - 2) - lr (w_k - 2) = (1 - lr) (w_k - 2)``. Hence, exactly:

* ``0 < lr < 1``: the factor is in ``(0, 1)``; ``w`` slides to the minimum from one side;
* ``lr = 1``: one step lands on the minimum;
* ``1 < lr < 2``: the factor is in ``(-1, 0)``; every step jumps over the minimum, but lands
  closer: ``w`` zig-zags inwards (oscillating, converging);
* ``lr = 2``: the factor is ``-1``; ``w`` jumps between ``w0`` and ``4 - w0`` for ever;
* ``lr > 2``: the factor is below ``-1``; every jump lands farther out: divergence.

Any smooth curve behaves like this near a minimum ``w*`` with curvature ``c = J''(w*)``, with
factor ``1 - lr c``: thresholds ``1/c`` and ``2/c`` (:func:`stability_limits`). The quadratic has
``c = 1``.

Whose gradient descent?
-----------------------
Lesson 1 shows the explorer right after the student writes ``gradient_descent_1d``, and passes
that function in (:func:`descend`): the picture is the student's own descent, and every step of
it is checked against the update rule ``w <- w - lr * dJ(w)``. A function that breaks the rule,
raises or is not written yet gets a note saying where; the picture then shows the reference's
path where the reference is installed (the repository, Binder), and the student's own path in the
student package, which holds no reference (:mod:`autograder.answer_key`).

Divergence is a result, not an error
------------------------------------
:func:`run_descent` never warns. It stops at the first iterate that is not finite or whose size
exceeds ``W_LIMIT`` (1e6), and that iterate and all later ones are ``nan``; ``np.isfinite``
marks the useful part and matplotlib leaves ``nan`` out of a plot.
"""
from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np

from .activations import sigmoid_prime
from .losses import bce_with_logits, bce_with_logits_grad

#: Largest ``|w|`` a run may reach; beyond it the run counts as diverged (see module docstring).
W_LIMIT = 1e6
#: A run has converged when the slope at its last iterate is at most this (in size). All three
#: curves have slopes of order 0.1-10 on their plotting ranges, so 1e-3 means "flat".
SLOPE_TOLERANCE = 1e-3
#: The loss counts as having gone up when it rose by more than this fraction of ``1 + |J(w0)|``:
#: enough to ignore rounding (``lr = 2`` on the quadratic must not count as rising).
LOSS_RISE_TOLERANCE = 1e-9
#: Steps shorter than this fraction of the plotting range are rounding noise: they say nothing
#: about zig-zagging.
STEP_NOISE = 1e-9
#: How many of the last pairs of consecutive steps decide whether ``w`` is oscillating.
RECENT_PAIRS = 4

KINDS = ("converged", "slow", "oscillating", "diverged")


@dataclass(frozen=True)
class Curve:
    """A cost of one weight that gradient descent can run on.

    Attributes
    ----------
    name : str
        Key in :data:`CURVES`.
    title : str
        Short title for a plot.
    J, dJ, d2J : callable
        The cost, its slope and its curvature, vectorised: an array of weights of any shape in,
        float64 values of the same shape out.
    w_range : (float, float)
        Weights to plot (and the range of the start-point slider).
    w0, lr : float
        A start point and a learning rate that make a good first picture.
    description : str
        One line for a student.
    find_minima : callable
        ``() -> tuple of float``: the weights of the local minima, ascending. Called once, on
        first use of :attr:`minima` (the logistic curve loads its data only then).
    """

    name: str
    title: str
    J: Callable
    dJ: Callable
    d2J: Callable
    w_range: tuple
    w0: float
    lr: float
    description: str
    find_minima: Callable = field(repr=False, compare=False)

    @cached_property
    def minima(self) -> tuple:
        """The weights of the local minima, ascending."""
        return tuple(sorted(float(w) for w in self.find_minima()))

    @property
    def w_star(self) -> float:
        """The weight of the lowest minimum (the global one on the plotting range)."""
        return min(self.minima, key=lambda w: float(self.J(w)))

    @property
    def J_star(self) -> float:
        """The lowest value of the cost, ``J(w_star)``."""
        return float(self.J(self.w_star))


# --------------------------------------------------------------------------------------------
# The quadratic


def _quadratic_J(w):
    w = np.asarray(w, dtype=np.float64)
    return 0.5 * (w - 2.0) ** 2 + 1.0


def _quadratic_dJ(w):
    return np.asarray(w, dtype=np.float64) - 2.0


def _quadratic_d2J(w):
    return np.ones_like(np.asarray(w, dtype=np.float64))


# --------------------------------------------------------------------------------------------
# The non-convex quartic


def _quartic_J(w):
    w = np.asarray(w, dtype=np.float64)
    return w ** 4 / 8.0 + w ** 3 / 12.0 - 0.75 * w ** 2 + 2.0


def _quartic_dJ(w):
    # Factored, so the stationary points -2, 0 and 3/2 can be read off.
    w = np.asarray(w, dtype=np.float64)
    return w * (w + 2.0) * (2.0 * w - 3.0) / 4.0


def _quartic_d2J(w):
    w = np.asarray(w, dtype=np.float64)
    return (3.0 * w ** 2 + w - 3.0) / 2.0


# --------------------------------------------------------------------------------------------
# The logistic negative log-likelihood of one weight

#: The breast-cancer feature of the logistic curve (standardised to mean 0, variance 1).
LOGISTIC_FEATURE = "mean radius"
#: The bias of the logistic curve, held fixed so that the cost depends on one weight only.
LOGISTIC_BIAS = 0.0


@functools.lru_cache(maxsize=1)
def logistic_data():
    """The feature and labels of the logistic curve, loaded once (scikit-learn is slow to import).

    Returns
    -------
    x : (569,) ndarray of float64
        The standardised "mean radius" of each tumour.
    y : (569,) ndarray of float64
        1 for benign, 0 for malignant.
    """
    from .datasets import load_breast_cancer

    X, Y, _ = load_breast_cancer(features=[LOGISTIC_FEATURE])
    x, y = X[0], Y[0]
    x.flags.writeable = False  # shared by every call: nobody may change it
    y.flags.writeable = False
    return x, y


def _logits(w):
    """Logits ``z = w x_i + b`` for every weight in ``w`` and every example: ``w.shape + (m,)``."""
    x, _ = logistic_data()
    return np.asarray(w, dtype=np.float64)[..., None] * x + LOGISTIC_BIAS


def _logistic_J(w):
    _, y = logistic_data()
    z = _logits(w)
    # bce_with_logits sums a 2-D input over its first axis (outputs x samples); here the leading
    # axes are weights, so give it 1-D arrays and take the mean over examples ourselves.
    losses = bce_with_logits(z.ravel(), np.broadcast_to(y, z.shape).ravel()).reshape(z.shape)
    return losses.mean(axis=-1)


def _logistic_dJ(w):
    # dJ/dw = mean_i dl_i/dz_i * dz_i/dw = mean_i (a_i - y_i) x_i.
    x, y = logistic_data()
    return (bce_with_logits_grad(_logits(w), y) * x).mean(axis=-1)


def _logistic_d2J(w):
    # d/dw of (a_i - y_i) x_i is sigma'(z_i) x_i**2.
    x, _ = logistic_data()
    return (sigmoid_prime(_logits(w)) * x ** 2).mean(axis=-1)


def _logistic_minimum(tolerance=1e-13, max_steps=100):
    """Newton's method from ``w = 0``: the cost is convex (``J'' > 0``), so it converges."""
    w = 0.0
    for _ in range(max_steps):
        step = float(_logistic_dJ(w)) / float(_logistic_d2J(w))
        w -= step
        if abs(step) < tolerance:
            return (w,)
    raise RuntimeError("Newton's method did not find the minimum of the logistic curve.")


# --------------------------------------------------------------------------------------------

CURVES: dict = {
    "quadratic": Curve(
        name="quadratic",
        title="Quadratic: J(w) = (w - 2)²/2 + 1",
        J=_quadratic_J, dJ=_quadratic_dJ, d2J=_quadratic_d2J,
        w_range=(-3.0, 7.0), w0=-1.0, lr=0.4,
        # Lesson 1 asks the student to predict where the path starts to zig-zag and where it flies
        # off: the description must not answer that (the thresholds are in stability_limits).
        description="A bowl with its lowest point at w = 2: how large can the learning rate be?",
        find_minima=lambda: (2.0,),
    ),
    "nonconvex": Curve(
        name="nonconvex",
        title="Two valleys: J(w) = w⁴/8 + w³/12 - 3w²/4 + 2",
        J=_quartic_J, dJ=_quartic_dJ, d2J=_quartic_d2J,
        w_range=(-3.25, 2.75), w0=2.5, lr=0.2,
        description="Two valleys split by a hump at w = 0: the start point decides where you end.",
        find_minima=lambda: (-2.0, 1.5),
    ),
    "logistic_nll": Curve(
        name="logistic_nll",
        title="Logistic NLL, breast cancer (mean radius, b = 0)",
        J=_logistic_J, dJ=_logistic_dJ, d2J=_logistic_d2J,
        w_range=(-12.0, 6.0), w0=4.0, lr=10.0,
        description="Mean cross-entropy of one weight on real data: convex, but nearly straight "
                    "far from its minimum.",
        find_minima=_logistic_minimum,
    ),
}


def get_curve(curve) -> Curve:
    """Look up a curve by name; a :class:`Curve` passed in is returned unchanged."""
    if isinstance(curve, Curve):
        return curve
    try:
        return CURVES[curve]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown curve {curve!r}; choose one of: {', '.join(CURVES)}."
        ) from None


def stability_limits(curve, w_star=None):
    """The learning rates at which descent starts to zig-zag and to diverge near a minimum.

    Near a minimum ``w*`` with curvature ``c = J''(w*)`` each step multiplies the distance to
    ``w*`` by about ``1 - lr c`` (exactly, on the quadratic).

    Parameters
    ----------
    curve : Curve or str
    w_star : float, optional
        The minimum to look at; the lowest one by default.

    Returns
    -------
    (float, float)
        ``(1 / c, 2 / c)``: above the first, steps jump over the minimum; above the second,
        they land farther away each time.
    """
    curve = get_curve(curve)
    c = float(curve.d2J(curve.w_star if w_star is None else w_star))
    return 1.0 / c, 2.0 / c


class WrongPath(ValueError):
    """A ``descent`` returned something that is not a path of ``n_iter + 1`` numbers."""


def reference_descent():
    """The reference ``gradient_descent_1d``, or ``None`` in the student package."""
    try:
        from .reference.descent import gradient_descent_1d
    except ImportError:
        return None
    return gradient_descent_1d


def run_descent(curve, w0, lr, n_iter, descent=None):
    """Run gradient descent on a curve: ``w <- w - lr * dJ(w)``, ``n_iter`` times.

    Parameters
    ----------
    curve : Curve or str
    w0 : float
        Start point, finite, ``|w0| <= W_LIMIT``.
    lr : float
        Learning rate, finite and ``>= 0`` (a negative one would climb the cost).
    n_iter : int
        Number of steps, ``>= 0``.
    descent : callable, optional
        A ``gradient_descent_1d(dJ, w0, lr, n_iter) -> path`` to run (a student's); the
        reference's by default.

    Returns
    -------
    iterates : (n_iter + 1,) ndarray of float64
        ``iterates[0] = w0``, ``iterates[k + 1] = iterates[k] - lr * dJ(iterates[k])``. The first
        iterate that is not finite or has ``|w| > W_LIMIT``, and every later one, is ``nan``;
        no warning is raised.

    Raises
    ------
    ValueError
        For a bad ``w0`` or ``lr``; :class:`WrongPath` for a ``descent`` whose result is not
        ``n_iter + 1`` numbers.
    RuntimeError
        ``descent`` omitted in the student package (it holds no reference).
    """
    curve = get_curve(curve)
    w0, lr = float(w0), float(lr)
    if not (np.isfinite(w0) and abs(w0) <= W_LIMIT):
        raise ValueError(f"w0 must be a finite number of size at most {W_LIMIT:g}, not {w0!r}.")
    if not (np.isfinite(lr) and lr >= 0.0):
        raise ValueError(
            f"lr must be a finite number >= 0, not {lr!r}: a negative learning rate steps "
            "uphill."
        )

    def guarded_slope(w):
        # Past the limit, stop evaluating the curve: a nan slope makes the next iterate nan,
        # and the reference loop stops there.
        return float(curve.dJ(w)) if abs(w) <= W_LIMIT else np.nan

    if descent is None:
        descent = reference_descent()
        if descent is None:
            raise RuntimeError("This installation holds no reference gradient descent: pass "
                               "your own, descent=gradient_descent_1d.")
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a diverging run overflows: shown
        result = descent(guarded_slope, w0, lr, int(n_iter))
    try:
        iterates = np.array(result, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise WrongPath(f"gradient_descent_1d returned {type(result).__name__}, not an array "
                        "of numbers.") from None
    if iterates.shape != (int(n_iter) + 1,) or np.ndim(result) != 1:
        raise WrongPath(f"gradient_descent_1d returned shape {np.shape(result)}; the path of "
                         f"{int(n_iter)} steps has shape ({int(n_iter) + 1},), w0 included.")
    outside = np.flatnonzero(~(np.abs(iterates) <= W_LIMIT))  # nan compares False: included
    if outside.size:
        iterates[outside[0]:] = np.nan
    return iterates


@dataclass(frozen=True)
class Descent:
    """The path the explorer shows, and whose it is.

    Attributes
    ----------
    iterates : (n_iter + 1,) ndarray of float64
        As :func:`run_descent` returns them.
    source : {"yours", "reference", "none"}
        Whose path it is; ``"none"``: nothing could be run (only ``w0`` is finite).
    note : str
        For the student: where their function breaks the update rule, raised, or is not
        written yet; ``""`` when their path is shown and follows the rule.
    """

    iterates: np.ndarray
    source: str
    note: str = ""


def rule_break(curve, iterates, w0, lr) -> str:
    """Where a path breaks ``w <- w - lr * dJ(w)``: a sentence, or ``""`` if it follows it.

    The update rule is the lesson's formula, not an implementation: checking one step of a path
    needs the path. A run that leaves ``|w| <= W_LIMIT`` must turn to ``nan`` there, as
    :func:`run_descent` makes it.
    """
    curve = get_curve(curve)
    if not iterates[0] == float(w0):
        return (f"Your gradient_descent_1d's path starts at {iterates[0]:.6g}, not at w0 = "
                f"{float(w0):.6g}: path[0] is the start point itself.")
    for k in range(len(iterates) - 1):
        w = iterates[k]
        if not np.isfinite(w):
            break
        with np.errstate(all="ignore"):
            expected = w - float(lr) * float(curve.dJ(w))
        got = iterates[k + 1]
        inside = np.isfinite(expected) and abs(expected) <= W_LIMIT
        if (np.isclose(got, expected, rtol=1e-9, atol=1e-12) if inside else np.isnan(got)):
            continue
        return (f"Your gradient_descent_1d breaks the update rule w ← w − η·dJ/dw at step "
                f"{k + 1}: from w = {w:.6g} with η = {float(lr):.3g} the step lands on "
                f"{expected:.6g}, your path has {got:.6g}.")
    return ""


def descend(curve, w0, lr, n_iter, descent=None) -> Descent:
    """The explorer's run: the student's ``descent`` checked against the rule, else the reference.

    Parameters
    ----------
    curve, w0, lr, n_iter
        As :func:`run_descent`.
    descent : callable, optional
        The student's ``gradient_descent_1d``; ``None`` runs the reference (where installed).

    Returns
    -------
    Descent
        Never raises for a student's function: what went wrong is in its ``note``.
    """
    reference = reference_descent()
    if descent is None:
        if reference is not None:
            return Descent(run_descent(curve, w0, lr, n_iter, reference), "reference")
        note = ("Pass your own function to see its descent: "
                "gradient_descent_explorer(descent=gradient_descent_1d).")
        return Descent(np.r_[float(w0), np.full(int(n_iter), np.nan)], "none", note)
    yours, note = None, ""
    try:
        yours = run_descent(curve, w0, lr, n_iter, descent)
        note = rule_break(curve, yours, w0, lr)
    except NotImplementedError:
        note = "Your gradient_descent_1d is not written yet (Section 3)."
    except WrongPath as error:
        note = f"Your {error}"
    except Exception as error:  # noqa: BLE001 - the student's bug, reported in the note
        note = f"Your gradient_descent_1d raised {type(error).__name__}: {error}"
    if not note:
        return Descent(yours, "yours")
    if reference is not None:
        return Descent(run_descent(curve, w0, lr, n_iter, reference), "reference",
                       note + " The picture shows the reference's path; fix your function and "
                       "run the explorer's cell again.")
    if yours is not None:
        return Descent(yours, "yours", note + " The picture shows your path.")
    return Descent(np.r_[float(w0), np.full(int(n_iter), np.nan)], "none",
                   note + " Write it, run its cell, then run this cell again.")


# --------------------------------------------------------------------------------------------
# Diagnosis


@dataclass(frozen=True)
class Diagnosis:
    """What a run of gradient descent did, for a student.

    Attributes
    ----------
    kind : {"converged", "slow", "oscillating", "diverged"}
    message : str
        What happened and what to try, in plain words.
    n_steps : int
        Steps taken before the run stopped (``n_iter``, or fewer if ``|w|`` ran away).
    w_final, J_final, slope_final : float
        The last finite iterate, the cost and the slope there.
    """

    kind: str
    message: str
    n_steps: int
    w_final: float
    J_final: float
    slope_final: float


def _fmt(value) -> str:
    return f"{value:.4g}"


def _fmt_pair(a, b):
    """Format two numbers with the fewest digits (at least 4) that tell them apart."""
    for digits in range(4, 18):
        left, right = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if left != right:
            break
    return left, right


def _alternations(steps, noise):
    """Signs of ``s_k * s_{k+1}`` for consecutive steps both longer than ``noise``: -1 = a turn."""
    big = np.abs(steps) > noise
    pairs = big[:-1] & big[1:]
    return np.sign(steps[:-1][pairs] * steps[1:][pairs])


def _limits_hint(curve, w_near):
    """One sentence with the learning rate at which steps stop shrinking near ``w_near``."""
    nearest = _nearest_minimum(curve, w_near)
    _, unstable = stability_limits(curve, nearest)
    return (f"Near the minimum at w = {_fmt(nearest)} the jumps shrink only when "
            f"lr < 2 / J''(w*) = {_fmt(unstable)}.")


def _converged_message(curve, iterates, steps, noise):
    w, slope = iterates[-1], float(curve.dJ(iterates[-1])) + 0.0  # + 0.0 turns -0.0 into 0.0
    first = int(np.argmax(np.abs(curve.dJ(iterates)) <= SLOPE_TOLERANCE))
    when = (f"the slope dJ/dw fell below {SLOPE_TOLERANCE:g} after {first} "
            f"step{'s' * (first != 1)} and is now" if first
            else "w started where the slope dJ/dw is")
    text = (f"Converged: {when} {slope:.1e}, practically zero, so the steps are tiny. "
            f"w = {_fmt(w)}, J(w) = {_fmt(float(curve.J(w)))}.")
    if float(curve.d2J(w)) < 0:
        return text + (" But this is the top of a hump, not a valley: the slope is zero only "
                       "because w sits exactly there. Move the start point a little and w "
                       "will roll into a valley.")
    if np.any(_alternations(steps, noise) < 0):
        text += (" On the way w jumped back and forth across the minimum: some steps "
                 "overshot it. A slightly smaller learning rate would walk straight in.")
    lowest = curve.w_star
    if _nearest_minimum(curve, w) != lowest:
        text += (f" This is a local minimum: the valley at w = {_fmt(lowest)} is lower "
                 f"(J = {_fmt(curve.J_star)}). Gradient descent only goes downhill from where "
                 "it starts, so start on the other side of the hump to get there.")
    return text


def diagnose(curve, iterates) -> Diagnosis:
    """Say, in plain words, whether a run converged, crawled, oscillated or diverged.

    The rules, checked in this order (``w_n`` is the last finite iterate):

    1. **diverged** if the run stopped early because ``|w|`` passed ``W_LIMIT``;
    2. **converged** if the slope at ``w_n`` is at most ``SLOPE_TOLERANCE`` in size;
    3. **diverged** if the cost went up: ``J(w_n) > J(w_0)`` by more than
       ``LOSS_RISE_TOLERANCE * (1 + |J(w_0)|)``;
    4. **oscillating** if at least half of the last ``RECENT_PAIRS`` pairs of consecutive steps
       point in opposite directions (steps shorter than ``STEP_NOISE`` times the plotting range
       are ignored). The message says whether the jumps die out: they do when the run's
       learning rate (read off its steps) is below ``2 / J''`` at the minimum nearest to where
       ``w`` bounces (:func:`stability_limits`);
    5. **slow** otherwise: ``w`` is still walking downhill, from one side.

    Parameters
    ----------
    curve : Curve or str
    iterates : (n_iter + 1,) array_like
        A run from :func:`run_descent`: finite values, then possibly a tail of ``nan``.

    Returns
    -------
    Diagnosis
    """
    curve = get_curve(curve)
    iterates = np.asarray(iterates, dtype=np.float64)
    finite = iterates[: _n_finite(iterates)]
    if finite.size == 0:
        raise ValueError("iterates must start with a finite start point w0.")
    n_steps = finite.size - 1
    w0, w = float(finite[0]), float(finite[-1])
    J0, J = float(curve.J(w0)), float(curve.J(w))
    slope = float(curve.dJ(w))
    steps = np.diff(finite)
    noise = STEP_NOISE * (curve.w_range[1] - curve.w_range[0])

    def result(kind, message):
        return Diagnosis(kind, message, n_steps, w, J, slope)

    if finite.size < iterates.size:
        return result("diverged", (
            "Diverged. The learning rate is too large: each step overshoots the minimum by more "
            f"than it gained, so |w| grows without bound; it passed {W_LIMIT:.0e} after "
            f"{n_steps + 1} steps. Try a smaller learning rate. " + _limits_hint(curve, w0)))
    if abs(slope) <= SLOPE_TOLERANCE:
        return result("converged", _converged_message(curve, finite, steps, noise))
    if n_steps == 0:
        return result("slow", (
            f"No steps yet: with 0 iterations w stays at its start, {_fmt(w0)}, where the slope "
            f"is {slope:.2g}. Add iterations."))
    if J > J0 + LOSS_RISE_TOLERANCE * (1.0 + abs(J0)):
        before, after = _fmt_pair(J0, J)
        return result("diverged", (
            "Diverged. The learning rate is too large: the steps overshoot the minimum so far "
            f"that the cost went up, from J = {before} at the start to J = {after} now, "
            "instead of down. Try a smaller learning rate. " + _limits_hint(curve, w)))
    turns = _alternations(steps, noise)[-RECENT_PAIRS:]
    if turns.size and 2 * np.count_nonzero(turns < 0) >= turns.size:
        # Whether the jumps die out is decided by the curvature where w bounces (module
        # docstring): compare the run's learning rate with 2 / J''(w*) there.
        centre = _nearest_minimum(curve, 0.5 * (finite[-1] + finite[-2]))
        _, unstable = stability_limits(curve, centre)
        if _learning_rate_of(curve, finite) < unstable:
            trend = (f"The learning rate is below 2 / J''(w*) = {_fmt(unstable)}, so the jumps "
                     f"die out and w settles at {_fmt(centre)}, slowly. A smaller learning rate "
                     "settles faster.")
        else:
            trend = (f"The learning rate is not below 2 / J''(w*) = {_fmt(unstable)} for the "
                     f"minimum at w = {_fmt(centre)}, so the jumps never die out there: w keeps "
                     "bouncing. Try a smaller learning rate.")
        return result("oscillating", (
            "Oscillating. Each step jumps over the minimum and lands on the other side. "
            + trend))
    if _never_moved(steps):
        return result("slow", (
            "Not moving: every step is zero, so w stays at its start. Is the learning rate 0?"))
    return result("slow", (
        f"Slow. w walked steadily downhill, from {_fmt(w0)} to {_fmt(w)}, but the slope is still "
        f"{slope:.2g} after {n_steps} step{'s' * (n_steps != 1)}: the minimum is not reached yet. "
        "Each step is the learning rate times the slope; try a larger learning rate or more "
        "iterations."))


def _nearest_minimum(curve, w) -> float:
    return min(curve.minima, key=lambda m: abs(m - w))


def _learning_rate_of(curve, finite):
    """The learning rate of a run, read off its steps: ``lr = -(w_{k+1} - w_k) / dJ(w_k)``.

    The step with the steepest slope is used, where rounding matters least; ``nan`` when the
    slope was zero everywhere (then nothing moved and the learning rate does not matter).
    """
    slopes = np.asarray(curve.dJ(finite[:-1]), dtype=np.float64)
    k = int(np.argmax(np.abs(slopes)))
    return -(finite[k + 1] - finite[k]) / slopes[k] if slopes[k] != 0 else np.nan


def _never_moved(steps) -> bool:
    """Whether every step of a run was zero (``False`` for a run of no steps: nothing to judge)."""
    return steps.size > 0 and not np.any(steps)


def _n_finite(iterates) -> int:
    """Length of the finite head of a run (its tail of ``nan`` removed)."""
    bad = np.flatnonzero(~np.isfinite(iterates))
    return int(bad[0]) if bad.size else int(iterates.size)


# --------------------------------------------------------------------------------------------
# Plot data


def curve_points(curve, n=400, w_range=None):
    """The curve on a grid, for plotting.

    Returns
    -------
    w, J : (n,) ndarrays of float64
    """
    curve = get_curve(curve)
    lo, hi = curve.w_range if w_range is None else w_range
    w = np.linspace(lo, hi, n)
    return w, np.asarray(curve.J(w), dtype=np.float64)


def path_points(curve, iterates):
    """The points ``(w_k, J(w_k))`` of the finite iterates, in order.

    Returns
    -------
    w, J : (n_finite,) ndarrays of float64
    """
    curve = get_curve(curve)
    iterates = np.asarray(iterates, dtype=np.float64)
    w = iterates[: _n_finite(iterates)]
    return w, np.asarray(curve.J(w), dtype=np.float64).reshape(w.shape)


def loss_history(curve, iterates):
    """The cost at every finite iterate, against the iteration number.

    Returns
    -------
    k, J : (n_finite,) ndarrays (int64 and float64)
    """
    w, J = path_points(curve, iterates)
    return np.arange(w.size), J


def gap_history(curve, iterates, floor=1e-16):
    """How far the cost is above its lowest value, ``J(w_k) - J(w*)``, for a log-scale plot.

    Values below ``floor`` (a run that lands exactly on the minimum, or rounding) are raised to
    ``floor``, because a log scale cannot show 0.

    Returns
    -------
    k, gap : (n_finite,) ndarrays (int64 and float64), ``gap >= floor``
    """
    curve = get_curve(curve)
    k, J = loss_history(curve, iterates)
    return k, np.maximum(J - curve.J_star, floor)


def tangent_at(curve, w, half_width=None):
    """The tangent of the curve at ``w``, as a short segment, and the way a step goes.

    Seed 003 draws it: where the slope is negative the cost falls to the right, so
    ``w <- w - lr * slope`` moves right; where it is positive, left.

    Parameters
    ----------
    curve : Curve or str
    w : float
        The point (a finite iterate).
    half_width : float, optional
        Half the segment's length in ``w``; 8 % of the plotting range by default.

    Returns
    -------
    w_pts, J_pts : (2,) ndarrays of float64
        The segment's ends, ``J(w) + slope (w_pts - w)``.
    slope : float
        ``dJ/dw`` at ``w``.
    hint : str
        ``"slope -1.5 < 0: step right"``, ``"slope 0.8 > 0: step left"`` or ``"slope 0: stay"``.
    """
    curve = get_curve(curve)
    w = float(w)
    slope = float(curve.dJ(w)) + 0.0
    h = 0.08 * (curve.w_range[1] - curve.w_range[0]) if half_width is None else float(half_width)
    w_pts = np.array([w - h, w + h])
    J_pts = float(curve.J(w)) + slope * (w_pts - w)
    if slope < 0:
        hint = f"slope {slope:.2g} < 0: step right"
    elif slope > 0:
        hint = f"slope {slope:.2g} > 0: step left"
    else:
        hint = "slope 0: stay"
    return w_pts, J_pts, slope, hint
