"""Specification of autograder.explorer: curves, descent and diagnosis (seed 003, 003-2, 003-3).

Every derivative is checked twice: against autograder.gradcheck (finite differences) and against
an independent autograd implementation of the same cost, written here.
"""
import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder import explorer as ex
from autograder.gradcheck import gradient_check

CURVE_NAMES = list(ex.CURVES)


def _start_points(name):
    lo, hi = ex.CURVES[name].w_range
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


# --------------------------------------------------------------------------------------------
# Independent implementations (autograd), written from the formulas, not from the module.

def _quadratic_oracle(w):
    return 0.5 * w * w - 2.0 * w + 3.0  # (w - 2)^2 / 2 + 1, expanded


def _quartic_oracle(w):
    return (3.0 * w ** 4 + 2.0 * w ** 3 - 18.0 * w ** 2 + 48.0) / 24.0


def _logistic_oracle(w):
    x, y = ex.logistic_data()
    z = w * x + ex.LOGISTIC_BIAS
    # -[y log a + (1 - y) log(1 - a)] with a = sigmoid(z), each log written with logaddexp.
    return anp.mean(y * anp.logaddexp(0.0, -z) + (1.0 - y) * anp.logaddexp(0.0, z))


ORACLES = {"quadratic": _quadratic_oracle, "nonconvex": _quartic_oracle,
           "logistic_nll": _logistic_oracle}


def _rel(a, b):
    return abs(a - b) / max(1e-12, abs(a) + abs(b))


@pytest.mark.parametrize("name", CURVE_NAMES)
def test_is_every_curve_registered_with_a_usable_record(name):
    """Does each curve have a title, a description, a range containing w0 and a positive lr?"""
    curve = ex.CURVES[name]
    assert curve.name == name and curve.title and curve.description
    lo, hi = curve.w_range
    assert lo < curve.w0 < hi and curve.lr > 0
    assert all(lo < m < hi for m in curve.minima)


@pytest.mark.parametrize("name", CURVE_NAMES)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_do_J_dJ_and_d2J_agree_with_an_independent_autograd_oracle(name, data):
    """Are J, dJ/dw and d2J/dw2 those of the cost written independently (rel. error < 1e-10)?"""
    curve = ex.CURVES[name]
    w = data.draw(_start_points(name))
    oracle = ORACLES[name]
    assert _rel(float(curve.J(w)), float(oracle(w))) < 1e-12
    assert _rel(float(curve.dJ(w)), float(grad(oracle)(w))) < 1e-10
    assert _rel(float(curve.d2J(w)), float(grad(grad(oracle))(w))) < 1e-10


@pytest.mark.parametrize("name", CURVE_NAMES)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_do_dJ_and_d2J_pass_the_gradient_check(name, data):
    """Do dJ and d2J match finite differences of J and dJ (autograder.gradcheck, < 1e-7)?"""
    curve = ex.CURVES[name]
    w = data.draw(_start_points(name))
    params = {"w": np.array(w)}
    slope = gradient_check(lambda p: float(curve.J(p["w"])), params, {"w": curve.dJ(w)})
    curvature = gradient_check(lambda p: float(curve.dJ(p["w"])), params, {"w": curve.d2J(w)})
    assert slope.passed, str(slope)
    assert curvature.passed, str(curvature)


@pytest.mark.parametrize("name", CURVE_NAMES)
def test_are_the_curves_vectorised_over_w(name):
    """Does an array of weights give the array of values, entry by entry, in float64?"""
    curve = ex.CURVES[name]
    w = np.linspace(*curve.w_range, 12).reshape(3, 4)
    for f in (curve.J, curve.dJ, curve.d2J):
        values = f(w)
        assert values.shape == (3, 4) and values.dtype == np.float64
        np.testing.assert_allclose(values, [[float(f(v)) for v in row] for row in w],
                                   rtol=1e-13)


@pytest.mark.parametrize("name", CURVE_NAMES)
def test_are_the_listed_minima_minima(name):
    """Is the slope zero and the curvature positive at every listed minimum?"""
    curve = ex.CURVES[name]
    for m in curve.minima:
        assert abs(float(curve.dJ(m))) < 1e-12
        assert float(curve.d2J(m)) > 0
    assert curve.J_star == min(float(curve.J(m)) for m in curve.minima)


# --------------------------------------------------------------------------------------------
# The quadratic: the thresholds 1 and 2, exactly


def test_are_the_quadratic_thresholds_one_and_two():
    """Does stability_limits give 1/J'' = 1 and 2/J'' = 2 on the quadratic?"""
    assert ex.stability_limits("quadratic") == (1.0, 2.0)


@settings(max_examples=30, deadline=None)
@given(w0=_start_points("quadratic"), lr=st.floats(0.0, 2.5), n_iter=st.integers(0, 25))
def test_does_the_quadratic_follow_its_closed_form(w0, lr, n_iter):
    """Is w_k - 2 = (1 - lr)^k (w0 - 2) on the quadratic, as the module docstring says?"""
    iterates = ex.run_descent("quadratic", w0, lr, n_iter)
    k = np.arange(n_iter + 1)
    np.testing.assert_allclose(iterates - 2.0, (1.0 - lr) ** k * (w0 - 2.0), rtol=1e-9,
                               atol=1e-12)


@pytest.mark.parametrize("eps", [1e-3, 1e-6])
def test_does_the_first_step_cross_the_minimum_exactly_above_lr_one(eps):
    """Below lr = 1 does w stay on its side of w = 2, at 1 land on it, above it jump over?"""
    below, at, above = (ex.run_descent("quadratic", -1.0, lr, 1)[1] for lr in
                        (1.0 - eps, 1.0, 1.0 + eps))
    assert below < 2.0
    assert at == 2.0
    assert above > 2.0


@pytest.mark.parametrize("eps", [1e-3, 1e-6])
def test_do_the_jumps_grow_exactly_above_lr_two(eps):
    """Below lr = 2 does |w - 2| shrink every step, at 2 stay the same, above 2 grow?"""
    def distances(lr):
        return np.abs(ex.run_descent("quadratic", -1.0, lr, 20) - 2.0)

    assert np.all(np.diff(distances(2.0 - eps)) < 0)
    assert np.all(distances(2.0) == 3.0)
    assert np.all(np.diff(distances(2.0 + eps)) > 0)


@pytest.mark.parametrize("lr, kind, phrase", [
    (2.0 - 1e-6, "oscillating", "die out"),
    (2.0, "oscillating", "never die out"),
    (2.0 + 1e-6, "diverged", "learning rate is too large"),
])
def test_does_the_diagnosis_switch_exactly_at_lr_two(lr, kind, phrase):
    """Is lr = 2 - 1e-6 a settling oscillation, lr = 2 an endless one, 2 + 1e-6 divergence?"""
    diagnosis = ex.diagnose("quadratic", ex.run_descent("quadratic", -1.0, lr, 20))
    assert diagnosis.kind == kind
    assert phrase in diagnosis.message
    if lr < 2.0:
        assert "never" not in diagnosis.message


# --------------------------------------------------------------------------------------------
# The non-convex curve: the start point decides


@settings(max_examples=30, deadline=None)
@given(w0=st.floats(0.01, 2.75))
def test_does_a_start_right_of_the_hump_end_in_the_right_valley(w0):
    """Started right of w = 0 with a small lr, does descent end at the local minimum 3/2?"""
    iterates = ex.run_descent("nonconvex", w0, 0.1, 400)
    assert abs(iterates[-1] - 1.5) < 1e-6
    diagnosis = ex.diagnose("nonconvex", iterates)
    assert diagnosis.kind == "converged" and "local minimum" in diagnosis.message


@settings(max_examples=30, deadline=None)
@given(w0=st.floats(-3.25, -0.01))
def test_does_a_start_left_of_the_hump_end_in_the_lowest_valley(w0):
    """Started left of w = 0 with a small lr, does descent end at the global minimum -2?"""
    iterates = ex.run_descent("nonconvex", w0, 0.1, 400)
    assert abs(iterates[-1] + 2.0) < 1e-6
    diagnosis = ex.diagnose("nonconvex", iterates)
    assert diagnosis.kind == "converged" and "local minimum" not in diagnosis.message


def test_does_a_start_on_the_hump_stay_there_and_say_so():
    """At w0 = 0 the slope is 0: does w stay, and does the message point at the hump?"""
    iterates = ex.run_descent("nonconvex", 0.0, 0.2, 20)
    assert np.all(iterates == 0.0)
    diagnosis = ex.diagnose("nonconvex", iterates)
    assert diagnosis.kind == "converged" and "top of a hump" in diagnosis.message


@pytest.mark.parametrize("minimum", [-2.0, 1.5])
def test_is_2_over_the_curvature_the_stability_limit_of_each_valley(minimum):
    """Near each minimum, does lr = 0.9 * 2/J'' settle and lr = 1.1 * 2/J'' leave?"""
    _, unstable = ex.stability_limits("nonconvex", minimum)
    settles = ex.run_descent("nonconvex", minimum + 0.01, 0.9 * unstable, 400)
    leaves = ex.run_descent("nonconvex", minimum + 0.01, 1.1 * unstable, 400)
    assert abs(settles[-1] - minimum) < 1e-8
    assert np.nanmax(np.abs(leaves - minimum)) > 0.1


# --------------------------------------------------------------------------------------------
# The logistic negative log-likelihood on real data


def test_is_the_logistic_data_the_standardised_breast_cancer_feature():
    """Is x the standardised mean radius of the 569 tumours and y in {0, 1}?"""
    x, y = ex.logistic_data()
    assert x.shape == y.shape == (569,)
    assert abs(x.mean()) < 1e-12 and abs(x.std() - 1.0) < 1e-12
    assert set(np.unique(y)) == {0.0, 1.0}
    assert ex.LOGISTIC_FEATURE == "mean radius" and ex.LOGISTIC_BIAS == 0.0


def test_does_the_logistic_minimum_match_a_brute_force_grid():
    """Is the Newton minimum within one grid step of the argmin of a grid search over w?

    The search refines three times (steps 5e-2 over the plotting range, then 1e-3 and 1e-5
    around the best point so far); on a convex curve the best grid point is within one step of
    the minimum, so the final grid pins it to 1e-5 with a thousand evaluations, not two million.
    """
    curve = ex.CURVES["logistic_nll"]
    grid = np.arange(curve.w_range[0], curve.w_range[1], 5e-2)
    for step in (1e-3, 1e-5):
        width = 2.0 * (grid[1] - grid[0])
        centre = grid[np.argmin(curve.J(grid))]
        grid = np.arange(centre - width, centre + width, step)
    best = grid[np.argmin(curve.J(grid))]
    assert abs(curve.w_star - best) <= 1e-5
    assert curve.J_star <= float(np.min(curve.J(grid))) + 1e-15


def test_does_the_logistic_minimum_match_scikit_learn():
    """Does an unpenalised scikit-learn fit without intercept find the same weight?"""
    from sklearn.linear_model import LogisticRegression

    x, y = ex.logistic_data()
    model = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=1000)
    model.fit(x.reshape(-1, 1), y)
    assert abs(model.coef_[0, 0] - ex.CURVES["logistic_nll"].w_star) < 1e-5


def test_is_the_logistic_curve_convex_and_finite_far_out():
    """Is J'' > 0 across the plotting range, and J finite without warnings at |w| = 1e6?"""
    curve = ex.CURVES["logistic_nll"]
    assert np.all(curve.d2J(np.linspace(*curve.w_range, 200)) > 0)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        far = curve.J(np.array([-ex.W_LIMIT, ex.W_LIMIT]))
    assert np.all(np.isfinite(far)) and np.all(far > 1e4)


# --------------------------------------------------------------------------------------------
# run_descent


@pytest.mark.parametrize("name", CURVE_NAMES)
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_does_each_step_go_against_the_slope(name, data):
    """Is w_{k+1} - w_k = -lr dJ(w_k) at every step (003-2, 003-3)?"""
    curve = ex.CURVES[name]
    w0 = data.draw(_start_points(name))
    lr = data.draw(st.floats(1e-3, 1.0))
    iterates = ex.run_descent(curve, w0, lr, 15)
    assert iterates.shape == (16,) and iterates.dtype == np.float64 and iterates[0] == w0
    w, _ = ex.path_points(curve, iterates)  # the finite head (a large lr may diverge)
    np.testing.assert_allclose(np.diff(w), -lr * curve.dJ(w[:-1]), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", CURVE_NAMES)
def test_does_divergence_stop_quietly_with_a_nan_tail(name):
    """With lr = 1e3 (and a huge 1e12), is there no warning, and are the finite iterates a head
    within W_LIMIT followed by nan only?"""
    curve = ex.CURVES[name]
    for lr in (1e3, 1e12):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            iterates = ex.run_descent(curve, curve.w0, lr, 60)
            ex.diagnose(curve, iterates)
        finite = np.isfinite(iterates)
        n = int(np.argmin(finite)) if not finite.all() else finite.size
        assert finite[:n].all() and not finite[n:].any()
        assert np.all(np.abs(iterates[:n]) <= ex.W_LIMIT)


def test_does_the_run_stop_at_the_first_iterate_beyond_the_limit():
    """On the quadratic with lr = 3, w_k - 2 = (-2)^k (w0 - 2): is the first nan where that
    first exceeds W_LIMIT in size?"""
    iterates = ex.run_descent("quadratic", -1.0, 3.0, 40)
    k = np.arange(41)
    exact = 2.0 + (-2.0) ** k * -3.0
    first_out = int(np.argmax(np.abs(exact) > ex.W_LIMIT))
    np.testing.assert_array_equal(iterates[:first_out], exact[:first_out])
    assert np.all(np.isnan(iterates[first_out:]))


def test_are_bad_settings_refused_with_a_message():
    """Are a negative lr, a non-finite or huge w0 and an unknown curve refused?"""
    with pytest.raises(ValueError, match="uphill"):
        ex.run_descent("quadratic", 0.0, -0.1, 5)
    with pytest.raises(ValueError, match="w0"):
        ex.run_descent("quadratic", np.nan, 0.1, 5)
    with pytest.raises(ValueError, match="w0"):
        ex.run_descent("quadratic", 2 * ex.W_LIMIT, 0.1, 5)
    with pytest.raises(ValueError, match="quadratic"):
        ex.run_descent("bowl", 0.0, 0.1, 5)


def test_does_zero_iterations_return_the_start_and_say_no_steps():
    """With n_iter = 0, is the run just [w0], and does the diagnosis ask for iterations?"""
    iterates = ex.run_descent("quadratic", -1.0, 0.4, 0)
    np.testing.assert_array_equal(iterates, [-1.0])
    diagnosis = ex.diagnose("quadratic", iterates)
    assert diagnosis.kind == "slow" and "No steps yet" in diagnosis.message


# --------------------------------------------------------------------------------------------
# diagnose

CASES = [
    # curve, w0, lr, n_iter, kind, a phrase of the message
    ("quadratic", -1.0, 0.4, 20, "converged", "Converged"),
    ("quadratic", -1.0, 0.1, 20, "slow", "larger learning rate or more iterations"),
    ("quadratic", -1.0, 1.9, 20, "oscillating", "die out"),
    ("quadratic", -1.0, 3.0, 20, "diverged", "|w| grows without bound"),
    ("nonconvex", -0.5, 0.2, 20, "converged", "w = -2"),
    ("nonconvex", 2.5, 0.01, 20, "slow", "not reached yet"),
    ("nonconvex", 2.5, 0.7, 20, "oscillating", "never die out"),
    ("nonconvex", 2.5, 1.0, 20, "diverged", "|w| grows without bound"),
    ("logistic_nll", 4.0, 10.0, 20, "converged", "Converged"),
    ("logistic_nll", 4.0, 1.0, 20, "slow", "not reached yet"),
    ("logistic_nll", 0.0, 150.0, 30, "oscillating", "never die out"),
    ("logistic_nll", 4.0, 1000.0, 20, "diverged", "the cost went up"),
]


@pytest.mark.parametrize("name, w0, lr, n_iter, kind, phrase", CASES)
def test_is_each_kind_diagnosed_on_each_curve(name, w0, lr, n_iter, kind, phrase):
    """Do chosen settings give the expected kind, with a message that says what to do?"""
    diagnosis = ex.diagnose(name, ex.run_descent(name, w0, lr, n_iter))
    assert diagnosis.kind == kind, diagnosis.message
    assert phrase in diagnosis.message
    if kind == "diverged":
        assert "learning rate is too large" in diagnosis.message
        assert "smaller learning rate" in diagnosis.message
    if kind == "slow":
        assert "larger learning rate" in diagnosis.message


def test_does_a_zig_zag_on_the_way_in_get_a_note():
    """Converging with 1 < lr < 2 on the quadratic, does the message mention the jumps?"""
    zigzag = ex.diagnose("quadratic", ex.run_descent("quadratic", -1.0, 1.5, 30))
    straight = ex.diagnose("quadratic", ex.run_descent("quadratic", -1.0, 0.5, 30))
    assert zigzag.kind == straight.kind == "converged"
    assert "back and forth" in zigzag.message and "back and forth" not in straight.message


def test_does_a_zero_learning_rate_say_nothing_moves():
    """With lr = 0, does the diagnosis say w never moved?"""
    diagnosis = ex.diagnose("quadratic", ex.run_descent("quadratic", -1.0, 0.0, 10))
    assert diagnosis.kind == "slow" and "Not moving" in diagnosis.message


def test_does_a_tiny_rise_of_the_cost_show_enough_digits():
    """Just above lr = 2 the cost rises in the 5th digit: does the message show the change?"""
    diagnosis = ex.diagnose("quadratic", ex.run_descent("quadratic", -1.0, 2.0 + 1e-6, 20))
    assert "J = 5.5 at the start to J = 5.5002 now" in diagnosis.message


def test_does_the_diagnosis_report_the_final_point():
    """Are n_steps, w_final, J_final and slope_final those of the last finite iterate?"""
    iterates = ex.run_descent("quadratic", -1.0, 3.0, 40)
    diagnosis = ex.diagnose("quadratic", iterates)
    n = int(np.argmax(np.isnan(iterates)))
    assert diagnosis.n_steps == n - 1
    assert diagnosis.w_final == iterates[n - 1]
    assert diagnosis.J_final == float(ex.CURVES["quadratic"].J(iterates[n - 1]))
    assert diagnosis.slope_final == iterates[n - 1] - 2.0


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(CURVE_NAMES), u=st.floats(0.0, 1.0),
       log_lr=st.floats(-3.0, 3.0), n_iter=st.integers(0, 60))
def test_is_every_run_given_one_deterministic_diagnosis_in_words(name, u, log_lr, n_iter):
    """For any settings the widget allows, is there one of the four kinds, the same each time,
    with a message free of nan and inf, and no warning?"""
    curve = ex.CURVES[name]
    w0 = curve.w_range[0] + u * (curve.w_range[1] - curve.w_range[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        iterates = ex.run_descent(curve, w0, 10.0 ** log_lr, n_iter)
        first, second = ex.diagnose(curve, iterates), ex.diagnose(curve, iterates.copy())
    assert first == second
    assert first.kind in ex.KINDS
    assert first.message and "nan" not in first.message and "inf" not in first.message


# --------------------------------------------------------------------------------------------
# Plot data


def test_do_the_plot_helpers_drop_the_nan_tail():
    """Do path_points, loss_history and gap_history cover exactly the finite iterates?"""
    curve = ex.CURVES["quadratic"]
    iterates = ex.run_descent(curve, -1.0, 3.0, 40)
    n = int(np.argmax(np.isnan(iterates)))
    w, J = ex.path_points(curve, iterates)
    np.testing.assert_array_equal(w, iterates[:n])
    np.testing.assert_array_equal(J, curve.J(iterates[:n]))
    k, loss = ex.loss_history(curve, iterates)
    np.testing.assert_array_equal(k, np.arange(n))
    np.testing.assert_array_equal(loss, J)


def test_is_the_gap_the_distance_to_the_lowest_cost_floored_for_a_log_scale():
    """Is gap = J(w_k) - J(w*), but never below the floor (lr = 1 lands exactly on w*)?"""
    curve = ex.CURVES["quadratic"]
    iterates = ex.run_descent(curve, -1.0, 1.0, 3)
    _, gap = ex.gap_history(curve, iterates, floor=1e-16)
    np.testing.assert_array_equal(gap, [4.5, 1e-16, 1e-16, 1e-16])


def test_does_curve_points_cover_the_plotting_range():
    """Are the curve points a grid over w_range with J evaluated on it?"""
    curve = ex.CURVES["nonconvex"]
    w, J = ex.curve_points(curve, n=50)
    assert w.shape == J.shape == (50,)
    assert (w[0], w[-1]) == curve.w_range
    np.testing.assert_array_equal(J, curve.J(w))


@pytest.mark.parametrize("w, side", [(-1.0, "right"), (5.0, "left")])
def test_does_the_tangent_touch_the_curve_and_say_which_way_to_step(w, side):
    """Seed 003's picture: is the tangent's slope dJ/dw at w, through (w, J(w)), and does the
    hint say "step right" where the slope is negative and "step left" where it is positive?"""
    w_pts, J_pts, slope, hint = ex.tangent_at("quadratic", w)
    assert slope == pytest.approx(w - 2.0)
    assert (J_pts[1] - J_pts[0]) / (w_pts[1] - w_pts[0]) == pytest.approx(slope)
    assert np.mean(J_pts) == pytest.approx(float(ex.CURVES["quadratic"].J(w)))
    assert hint.endswith(f"step {side}")
    assert ex.tangent_at("quadratic", 2.0)[3] == "slope 0: stay"


def test_does_no_description_give_away_the_learning_rate_lesson_1_asks_to_predict():
    """Lesson 1 asks for the learning rates where the path zig-zags and flies off: does no
    curve's description name them?"""
    for curve in ex.CURVES.values():
        assert "above 2" not in curve.description and "lr >" not in curve.description


# --------------------------------------------------------------------------------------------
# descend: the student's gradient_descent_1d, checked against the update rule

def _loop_descent(dJ, w0, lr, n_iter):
    """A right answer written another way (a list, appended), as a student may write it."""
    path = [float(w0)]
    for _ in range(n_iter):
        path.append(path[-1] - lr * dJ(path[-1]))
    return np.array(path)


def _uphill(dJ, w0, lr, n_iter):
    path = [float(w0)]
    for _ in range(n_iter):
        path.append(path[-1] + lr * dJ(path[-1]))
    return np.array(path)


def _last_missing(dJ, w0, lr, n_iter):
    return _loop_descent(dJ, w0, lr, n_iter)[:-1]


def _unwritten(dJ, w0, lr, n_iter):
    raise NotImplementedError()


@pytest.fixture
def no_reference(monkeypatch):
    """The student package: no reference gradient descent."""
    monkeypatch.setattr(ex, "reference_descent", lambda: None)


@pytest.mark.parametrize("curve", CURVE_NAMES)
def test_does_a_right_descent_written_otherwise_show_as_yours(curve):
    """A right gradient_descent_1d written with a list: is the shown path the student's, equal
    to the reference's, with no note, on every curve (a diverging one included)?"""
    c = ex.get_curve(curve)
    for lr in (c.lr, 50.0):
        run = ex.descend(curve, c.w0, lr, 30, _loop_descent)
        assert (run.source, run.note) == ("yours", "")
        np.testing.assert_allclose(run.iterates, ex.run_descent(curve, c.w0, lr, 30),
                                   rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("wrong, words", [
    (_uphill, "breaks the update rule w ← w − η·dJ/dw at step 1"),
    (_last_missing, "Your gradient_descent_1d returned shape (30,); the path of 30 steps has shape (31,)"),
    (_unwritten, "not written yet (Section 3)"),
    (lambda dJ, w0, lr, n_iter: [w0 + 1] * (n_iter + 1), "starts at"),
    (lambda dJ, w0, lr, n_iter: "path", "Your gradient_descent_1d returned str, not an array"),
])
def test_is_a_wrong_descent_named_and_replaced_by_the_reference(wrong, words):
    """A descent that climbs, drops an iterate, is not written, starts elsewhere or returns text:
    does the note say so, and the picture show the reference's path (the repository)?"""
    run = ex.descend("quadratic", -1.0, 0.3, 30, wrong)
    assert words in run.note and run.source == "reference"
    assert "The picture shows the reference's path" in run.note
    np.testing.assert_array_equal(run.iterates, ex.run_descent("quadratic", -1.0, 0.3, 30))


def test_without_a_reference_is_a_wrong_path_shown_as_the_students(no_reference):
    """In the student package: a climbing descent is drawn as the student's own, with the note;
    an unwritten one draws only w0; and with no function the note says what to pass."""
    run = ex.descend("quadratic", -1.0, 0.3, 5, _uphill)
    assert run.source == "yours" and "step 1" in run.note and "shows your path" in run.note
    np.testing.assert_allclose(run.iterates, _uphill(ex.get_curve("quadratic").dJ, -1.0, 0.3, 5))
    blank = ex.descend("quadratic", -1.0, 0.3, 5, _unwritten)
    assert blank.source == "none" and "not written yet" in blank.note
    assert blank.iterates[0] == -1.0 and np.isnan(blank.iterates[1:]).all()
    none = ex.descend("quadratic", -1.0, 0.3, 5)
    assert none.source == "none" and "descent=gradient_descent_1d" in none.note
    with pytest.raises(RuntimeError, match="descent=gradient_descent_1d"):
        ex.run_descent("quadratic", -1.0, 0.3, 5)


def test_does_the_explorer_widget_show_the_note_outside_the_diagnosis_box(no_reference):
    """The widget with an unwritten function and no reference: does it build, say so above the
    picture, and keep the diagnosis box (the one with a bar) out, with no diagnosis?"""
    from autograder import widgets as wd

    explorer = wd.gradient_descent_explorer(descent=_unwritten, display=False)
    assert explorer.state.diagnosis is None and explorer.state.source == "none"
    assert "not written yet" in explorer.diagnosis_html.value
    assert "border-left" not in explorer.diagnosis_html.value
    assert explorer.image.value  # the curve and the start are drawn
    explorer.close()
    with pytest.raises(TypeError, match="gradient_descent_1d function"):
        wd.gradient_descent_explorer(descent=3, display=False)
