"""Specification of autograder.gradcheck: numerical gradients, relative errors, the per-parameter
report, the cheap directional check, and the bugs a gradient check exists to catch.

The planted bugs live in a small two-layer network whose correct backward pass is written here
(and itself checked against autograd), so every claim "this check catches that bug" is tested.
"""
import copy
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.activations import sigmoid, sigmoid_prime, tanh, tanh_prime
from autograder.gradcheck import (
    DEFAULT_THRESHOLD,
    DEFAULT_TINY,
    GradCheckReport,
    assert_gradients_close,
    directional_check,
    gradient_check,
    numerical_gradient,
    relative_error,
)
from autograder.losses import batch_cost, bce_with_logits

# Derandomized: the accuracy bounds below are margins over the rounding noise, measured over
# thousands of draws; fixed examples keep CI from ever tripping over a rare outlier.
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
METHODS = ["richardson", "centred"]
# How far below the 1e-7 pass threshold a correct gradient lands: Richardson's rounding error is
# ~1e-12 |f|, the plain centred formula's ~1e-11 |f| (plus its truncation error).
TYPICAL_ERROR = {"richardson": 1e-8, "centred": DEFAULT_THRESHOLD}
PARAMS = ("W1", "b1", "W2", "b2")


# --- a two-layer network: cost, correct backward, planted bugs -------------------------------

HIDDEN = {"sigmoid": (sigmoid, sigmoid_prime), "tanh": (tanh, tanh_prime)}


def network_cost(params, X, Y, hidden="sigmoid"):
    """Mean cross-entropy of Z2 = W2 h(W1 X + b1) + b2 (sigmoid output, from the logit)."""
    h = HIDDEN[hidden][0]
    A1 = h(params["W1"] @ X + params["b1"])
    Z2 = params["W2"] @ A1 + params["b2"]
    return batch_cost(bce_with_logits(Z2, Y))


def network_backward(params, X, Y, hidden="sigmoid", bug=None):
    """The gradients of network_cost, correct when ``bug`` is None, else with one planted bug."""
    h, h_prime = HIDDEN[hidden]
    W1, b1, W2, b2 = (params[k] for k in PARAMS)
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = h(Z1)
    Z2 = W2 @ A1 + b2
    dZ2 = sigmoid(Z2) - Y if bug != "sign_flip_output_error" else Y - sigmoid(Z2)
    dW2 = dZ2 @ A1.T / m if bug != "missing_transpose_in_dW2" else dZ2 @ A1 / m
    db2 = dZ2.sum(axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2 if bug != "missing_transpose_in_backprop" else W2 @ dZ2
    dZ1 = dA1 * (h_prime(Z1) if bug != "sigma_for_sigma_prime" else h(Z1))
    if bug == "sign_flip_hidden_delta":
        dZ1 = -dZ1
    dW1 = dZ1 @ X.T / m if bug != "missing_one_over_m" else dZ1 @ X.T
    db1 = dZ1.sum(axis=1, keepdims=True) / m
    if bug == "missing_bias_gradient_b1":
        db1 = np.zeros_like(b1)
    if bug == "missing_bias_gradient_b2":
        db2 = np.zeros_like(b2)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def autograd_network_cost(params, X, Y, hidden="sigmoid"):
    """An independent forward pass in autograd.numpy, from the formulas."""
    Z1 = anp.dot(params["W1"], X) + params["b1"]
    A1 = 1.0 / (1.0 + anp.exp(-Z1)) if hidden == "sigmoid" else anp.tanh(Z1)
    Z2 = anp.dot(params["W2"], A1) + params["b2"]
    per_example = anp.sum(anp.log(1.0 + anp.exp(Z2)) - Y * Z2, axis=0)
    return anp.mean(per_example)


def make_network(seed, n_in, n_hidden, n_out, m, scale=1.0):
    rng = np.random.default_rng(seed)
    params = {
        "W1": scale * rng.standard_normal((n_hidden, n_in)),
        "b1": scale * rng.standard_normal((n_hidden, 1)),
        "W2": scale * rng.standard_normal((n_out, n_hidden)),
        "b2": scale * rng.standard_normal((n_out, 1)),
    }
    X = scale * rng.standard_normal((n_in, m))
    Y = (rng.random((n_out, m)) < 0.5).astype(np.float64)
    return params, X, Y


@st.composite
def networks(draw):
    dims = [draw(st.integers(1, 5)) for _ in range(4)]
    params, X, Y = make_network(draw(st.integers(0, 2**32 - 1)), *dims,
                                scale=draw(st.floats(0.3, 2.0)))
    return params, X, Y, draw(st.sampled_from(sorted(HIDDEN)))


@SETTINGS
@given(net=networks())
def test_does_the_test_backward_pass_agree_with_autograd(net):
    """Is the backward pass written in this file right (autograd, 1e-10 relative)?

    Entries below 1e-15 count as zero: there only rounding is left.
    """
    params, X, Y, hidden = net
    ours = network_backward(params, X, Y, hidden)
    theirs = autograd.grad(autograd_network_cost)(params, X, Y, hidden)
    for name in PARAMS:
        np.testing.assert_allclose(ours["d" + name], theirs[name], rtol=1e-10, atol=1e-15)


@SETTINGS
@given(net=networks())
def test_does_the_correct_backward_pass_pass_far_below_the_threshold(net):
    """Do gradient_check and directional_check pass it, with errors 10 times below 1e-7?"""
    params, X, Y, hidden = net
    grads = network_backward(params, X, Y, hidden)
    cost = lambda p: network_cost(p, X, Y, hidden)  # noqa: E731
    for report in (gradient_check(cost, params, grads), directional_check(cost, params, grads)):
        assert report.passed, str(report)
        assert [row.name for row in report.rows] == list(PARAMS)
        assert max(row.max_relative_error for row in report.rows) < DEFAULT_THRESHOLD / 10


# Each planted bug and the parameters whose gradients it breaks (and only those).
PLANTED_BUGS = {
    "sign_flip_output_error": {"W1", "b1", "W2", "b2"},  # y - a for a - y (slip S3)
    "sign_flip_hidden_delta": {"W1", "b1"},
    "missing_transpose_in_dW2": {"W2"},                  # dZ2 @ A1 for dZ2 @ A1.T
    "missing_transpose_in_backprop": {"W1", "b1"},       # W2 @ dZ2 for W2.T @ dZ2
    "sigma_for_sigma_prime": {"W1", "b1"},
    "missing_bias_gradient_b1": {"b1"},
    "missing_bias_gradient_b2": {"b2"},
    "missing_one_over_m": {"W1"},
}


def square_network(seed):
    """All sizes 3, so a missing transpose still gives the right shape and only a check sees it."""
    return make_network(seed, n_in=3, n_hidden=3, n_out=3, m=3)


@pytest.mark.parametrize("check", [gradient_check, directional_check],
                         ids=["gradient_check", "directional_check"])
@pytest.mark.parametrize("bug", sorted(PLANTED_BUGS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_is_each_planted_bug_caught_on_the_right_parameters(check, bug, seed):
    """Does each check fail exactly the parameters the bug breaks, and pass the others?"""
    params, X, Y = square_network(seed)
    grads = network_backward(params, X, Y, bug=bug)
    assert all(grads[k].shape == params[k[1:]].shape for k in grads)  # shapes cannot tell
    report = check(lambda p: network_cost(p, X, Y), params, grads)
    assert not report and not report.passed
    assert {row.name for row in report.failures()} == PLANTED_BUGS[bug], str(report)
    for row in report.rows:
        if row.name in PLANTED_BUGS[bug]:
            assert row.max_relative_error > 1e-3
        else:
            assert row.max_relative_error < 1e-8
    assert "Look at the backward code of: " + ", ".join(
        name for name in PARAMS if name in PLANTED_BUGS[bug]) in str(report)


# --- numerical gradients of known functions --------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(n=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_is_the_numerical_gradient_of_a_quadratic_form_right(method, n, seed):
    """For f(x) = 1/2 x^T A x + c^T x (A not symmetric), is grad f = (A + A^T) x / 2 + c?"""
    rng = np.random.default_rng(seed)
    A, c, x = rng.standard_normal((n, n)), rng.standard_normal(n), rng.standard_normal(n)
    f = lambda p: 0.5 * p["x"] @ A @ p["x"] + c @ p["x"]  # noqa: E731
    numeric = numerical_gradient(f, {"x": x}, method=method)["x"]
    assert np.max(relative_error((A + A.T) @ x / 2 + c, numeric)) < TYPICAL_ERROR[method]


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_is_the_numerical_gradient_of_a_least_squares_cost_right(method, seed):
    """For J(W) = mean_i 1/2 |W x_i - y_i|^2, is dJ/dW = (W X - Y) X^T / m?"""
    rng = np.random.default_rng(seed)
    W, X, Y = (rng.standard_normal(s) for s in [(2, 3), (3, 5), (2, 5)])
    f = lambda p: 0.5 * np.mean(np.sum((p["W"] @ X - Y) ** 2, axis=0))  # noqa: E731
    numeric = numerical_gradient(f, {"W": W}, method=method)["W"]
    assert numeric.shape == W.shape
    assert np.max(relative_error((W @ X - Y) @ X.T / 5, numeric)) < TYPICAL_ERROR[method]


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_is_the_numerical_gradient_of_a_sigmoid_layer_cost_right(method, seed):
    """For J(W, b) = mean cross-entropy of sigmoid(W X + b), is dJ/dW = (a - y) X^T / m?"""
    rng = np.random.default_rng(seed)
    W, b, X = rng.standard_normal((1, 4)), rng.standard_normal((1, 1)), rng.standard_normal((4, 7))
    y = (rng.random((1, 7)) < 0.5).astype(np.float64)
    f = lambda p: batch_cost(bce_with_logits(p["W"] @ X + p["b"], y))  # noqa: E731
    numeric = numerical_gradient(f, {"W": W, "b": b}, method=method)
    dZ = sigmoid(W @ X + b) - y
    assert np.max(relative_error(dZ @ X.T / 7, numeric["W"])) < TYPICAL_ERROR[method]
    db = dZ.mean(axis=1, keepdims=True)
    assert np.max(relative_error(db, numeric["b"])) < TYPICAL_ERROR[method]


def test_does_the_numerical_gradient_handle_scalars_and_integer_arrays():
    """Are a 0-d parameter and an int array fine (gradient float64, shape of the parameter)?"""
    grads = numerical_gradient(lambda p: p["w"] ** 3 + np.sum(p["v"] ** 2),
                               {"w": 2.0, "v": np.array([1, -2])})
    assert grads["w"].shape == () and grads["v"].dtype == np.float64
    np.testing.assert_allclose(grads["w"], 12.0, rtol=1e-10)
    np.testing.assert_allclose(grads["v"], [2.0, -4.0], rtol=1e-10)


def test_is_richardson_more_accurate_than_the_plain_formula():
    """On a curved function, does the Richardson step beat plain centred differences (same h)?"""
    f = lambda p: float(np.exp(3.0 * p["x"]).sum())  # noqa: E731
    exact = 3.0 * np.exp(3.0 * 0.7)
    errors = {m: abs(numerical_gradient(f, {"x": np.array([0.7])}, h=1e-3, method=m)["x"][0]
                     - exact) for m in METHODS}
    assert errors["richardson"] < errors["centred"] / 100


# --- relative error --------------------------------------------------------------------------

def test_is_the_relative_error_the_stated_formula():
    """Is it |a - n| / max(tiny, |a| + |n|), entrywise, with tiny = DEFAULT_TINY by default?"""
    a = np.array([1.0, 1.0, -2.0, 0.0, 1e-9, 0.0])
    n = np.array([1.0, 0.9, 2.0, 0.0, 0.0, 1e-12])
    expected = [0.0, 0.1 / 1.9, 1.0, 0.0, 1e-9 / DEFAULT_TINY, 1e-12 / DEFAULT_TINY]
    np.testing.assert_allclose(relative_error(a, n), expected, rtol=1e-14)
    np.testing.assert_allclose(relative_error(1e-9, 0.0, tiny=1e-6), 1e-3, rtol=1e-14)


@SETTINGS
@given(a=st.floats(-1e6, 1e6), n=st.floats(-1e6, 1e6), tiny=st.floats(1e-12, 1.0))
def test_is_the_relative_error_symmetric_and_between_zero_and_one(a, n, tiny):
    """Is the error symmetric in (a, n), in [0, 1], and 0 exactly when a = n?"""
    error = float(relative_error(a, n, tiny))
    assert error == float(relative_error(n, a, tiny))
    assert 0.0 <= error <= 1.0
    assert (error == 0.0) == (a == n)


# --- the report ------------------------------------------------------------------------------

def linear_problem():
    """f(W, b) = sum(W * C) + 3 b: the gradient is C and 3, known exactly."""
    C = np.arange(6.0).reshape(2, 3) - 2.0
    params = {"W": np.ones((2, 3)), "b": np.array([[0.5]])}
    return (lambda p: float(np.sum(p["W"] * C) + 3.0 * p["b"][0, 0])), params, C


def test_does_the_report_have_one_row_per_parameter_with_the_worst_entry():
    """Does a single wrong entry show up as its parameter's row, index and values?"""
    f, params, C = linear_problem()
    wrong = C.copy()
    wrong[1, 2] += 0.5
    report = gradient_check(f, params, {"dW": wrong, "db": np.array([[3.0]])})
    assert isinstance(report, GradCheckReport) and report.threshold == DEFAULT_THRESHOLD
    assert [row.name for row in report.rows] == ["W", "b"]
    row = report["W"]
    assert row.worst_index == (1, 2) and not row.passed
    assert row.analytic == pytest.approx(C[1, 2] + 0.5) and row.numeric == pytest.approx(C[1, 2])
    assert row.max_relative_error == pytest.approx(0.5 / (2 * C[1, 2] + 0.5))
    assert report["b"].passed and report["b"].max_relative_error < 1e-10
    assert report.failures() == [row] and not report and bool(report) is False
    with pytest.raises(KeyError):
        report["W2"]


def test_does_the_report_read_well_as_text():
    """Does str(report) show the verdict, a header, one line per parameter and where to look?"""
    f, params, C = linear_problem()
    failed = str(gradient_check(f, params, {"W": C, "b": np.array([[-3.0]])}))
    lines = failed.splitlines()
    assert "FAILED" in lines[0] and "threshold 1e-07" in lines[0]
    assert "max rel. error" in lines[1] and "worst index" in lines[1]
    assert lines[2].split()[0] == "W" and lines[2].endswith("ok")
    assert lines[3].split()[0] == "b" and lines[3].endswith("FAIL") and "(0, 0)" in lines[3]
    assert "1.00e+00" in lines[3]
    assert "Look at the backward code of: b." in lines[4]
    passed = gradient_check(f, params, {"W": C, "b": np.array([[3.0]])})
    assert "PASSED" in str(passed) and "Look at" not in str(passed) and passed
    assert repr(passed) == str(passed)


def test_are_gradients_found_with_or_without_the_d_prefix():
    """Are analytic gradients accepted keyed 'W' as well as 'dW'?"""
    f, params, C = linear_problem()
    assert gradient_check(f, params, {"W": C, "db": np.array([[3.0]])})
    assert directional_check(f, params, {"dW": C, "b": np.array([[3.0]])})


# --- the directional check -------------------------------------------------------------------

class CountingCost:
    """Wraps a cost function and counts its evaluations."""

    def __init__(self, f):
        self.f, self.calls = f, 0

    def __call__(self, params):
        self.calls += 1
        return self.f(params)


@pytest.mark.parametrize("method, evaluations_per_direction", [("richardson", 4), ("centred", 2)])
def test_does_the_directional_check_cost_a_few_evaluations_whatever_the_size(
        method, evaluations_per_direction):
    """Is the number of cost evaluations the same for 6 and for 1240 entries (2 parameters)?"""
    calls = {}
    for n_out, n_in in [(2, 2), (40, 30)]:
        rng = np.random.default_rng(0)
        W, b = rng.standard_normal((n_out, n_in)), rng.standard_normal((n_out, 1))
        cost = CountingCost(lambda p: 0.5 * float(np.sum(p["W"] ** 2) + np.sum(p["b"] ** 2)))
        report = directional_check(cost, {"W": W, "b": b}, {"dW": W, "db": b}, method=method)
        assert report
        calls[n_out] = cost.calls
    assert calls[2] == calls[40] == 2 * 3 * evaluations_per_direction
    entrywise = CountingCost(lambda p: 0.5 * float(np.sum(p["W"] ** 2)))
    gradient_check(entrywise, {"W": np.ones((40, 30))}, {"dW": np.ones((40, 30))})
    assert entrywise.calls == 1200 * 4  # the entrywise check grows with the size


def test_does_the_directional_check_catch_a_bias_bug_behind_a_big_matrix():
    """Is a wrong bias gradient caught even next to a large, correct weight matrix?"""
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal((50, 50)), rng.standard_normal((50, 1))
    f = lambda p: 0.5 * float(np.sum(p["W"] ** 2) + np.sum(p["b"] ** 2))  # noqa: E731
    report = directional_check(f, {"W": W, "b": b}, {"dW": W, "db": 0.99 * b})
    assert report["W"].passed and not report["b"].passed
    assert report.kind == "3 random directions" and "3 random directions" in str(report)


def test_is_the_directional_check_reproducible():
    """Does the same seed give the same report (and is it a different draw for another seed)?"""
    params, X, Y = square_network(0)
    grads = network_backward(params, X, Y, bug="sigma_for_sigma_prime")
    f = lambda p: network_cost(p, X, Y)  # noqa: E731
    first, again = directional_check(f, params, grads), directional_check(f, params, grads)
    assert str(first) == str(again)
    other = directional_check(f, params, grads, seed=1)
    assert other["W1"].analytic != first["W1"].analytic


# --- assert_gradients_close ------------------------------------------------------------------

def test_does_assert_gradients_close_raise_with_the_report():
    """Does a wrong gradient raise AssertionError whose text is the report, naming the parameter?
    """
    f, params, C = linear_problem()
    bad = {"W": -C, "b": np.array([[3.0]])}
    with pytest.raises(AssertionError) as error:
        assert_gradients_close(f, params, bad)
    assert str(error.value) == str(gradient_check(f, params, bad))
    assert "Look at the backward code of: W." in str(error.value)


def test_does_assert_gradients_close_return_the_report_when_right():
    """Does a right gradient return the (passing) report?"""
    f, params, C = linear_problem()
    report = assert_gradients_close(f, params, {"W": C, "b": np.array([[3.0]])})
    assert isinstance(report, GradCheckReport) and report.passed


# --- inputs, errors, non-finite values -------------------------------------------------------

def test_are_the_callers_params_and_grads_never_changed():
    """Even with a cost that scribbles on its argument, are params and grads left as they were?"""
    params, X, Y = square_network(0)
    grads = network_backward(params, X, Y)
    before = copy.deepcopy((params, grads))

    def scribbling_cost(p):
        value = network_cost(p, X, Y)
        for array in p.values():
            array += 1.0
        return value

    numerical_gradient(scribbling_cost, params)
    gradient_check(scribbling_cost, params, grads)
    directional_check(scribbling_cost, params, grads)
    assert_gradients_close(lambda p: network_cost(p, X, Y), params, grads)
    for original, now in zip(before, (params, grads)):
        assert original.keys() == now.keys()
        for key in original:
            np.testing.assert_array_equal(original[key], now[key])


@pytest.mark.parametrize("check", [gradient_check, directional_check])
def test_does_a_gradient_of_the_wrong_shape_give_a_clear_error(check):
    """Does a transposed gradient raise ValueError naming the parameter and both shapes?"""
    f, params, C = linear_problem()
    with pytest.raises(ValueError) as error:
        check(f, params, {"dW": C.T, "db": np.array([[3.0]])})
    message = str(error.value)
    assert "'W'" in message and "(3, 2)" in message and "(2, 3)" in message


@pytest.mark.parametrize("check", [gradient_check, directional_check])
def test_does_a_missing_gradient_give_a_clear_error(check):
    """Does a missing gradient raise KeyError naming the keys it looked for and those it found?"""
    f, params, C = linear_problem()
    with pytest.raises(KeyError) as error:
        check(f, params, {"dW": C})
    message = str(error.value)
    assert "'b'" in message and "'db'" in message and "['dW']" in message


def test_are_bad_arguments_refused_clearly():
    """Do a non-dict of params, an empty dict, an unknown method and a vector cost fail clearly?"""
    f, params, C = linear_problem()
    with pytest.raises(TypeError, match="non-empty dict"):
        numerical_gradient(f, [np.ones(2)])
    with pytest.raises(TypeError, match="non-empty dict"):
        gradient_check(f, {}, {})
    directional = lambda f, p, method: directional_check(f, p, {}, method=method)  # noqa: E731
    for call in (numerical_gradient, directional):
        with pytest.raises(ValueError, match="richardson"):
            call(f, params, method="forward")
    with pytest.raises(TypeError, match="must return one number"):
        numerical_gradient(lambda p: p["W"] * 2.0, params)


@pytest.mark.parametrize("check", [gradient_check, directional_check])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_does_a_non_finite_analytic_gradient_fail_quietly(check, bad):
    """Does a NaN or inf in the analytic gradient fail its parameter, without any warning?"""
    f, params, C = linear_problem()
    grads = {"W": C.copy(), "b": np.array([[3.0]])}
    grads["W"][0, 1] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = check(f, params, grads)
    assert not report["W"].passed and report["W"].max_relative_error == np.inf
    assert report["b"].passed


@pytest.mark.parametrize("check", [gradient_check, directional_check])
def test_does_a_cost_that_returns_nan_fail(check):
    """If the cost itself is NaN, does the check fail rather than pass by default?"""
    f, params, C = linear_problem()
    report = check(lambda p: np.nan, params, {"W": C, "b": np.array([[3.0]])})
    assert not report.passed


# --- what a relative error means (the hints of the report) -----------------------------------
# r = |a - n| / (|a| + |n|). Same signs, a = c n with c > 0:
#   r = |c n - n| / (c |n| + |n|) = |c - 1| / (c + 1),  so c = (1 + r) / (1 - r) (or 1 / that).
# Opposite signs, a = -c n: r = (c + 1) |n| / ((c + 1) |n|) = 1 exactly; one side 0: |n| / |n| = 1.

@pytest.mark.parametrize("c", [1.5, 2.0, 3.0, 7.0, 50.0, 1e3])
@pytest.mark.parametrize("n", [0.37, -2.5, 11.0])
def test_is_a_factor_c_between_same_sign_entries_a_relative_error_of_c_minus_1_over_c_plus_1(
        c, n):
    """Does a = c n (or n / c) give r = (c - 1)/(c + 1), and does factor_of invert it?"""
    from autograder.gradcheck import factor_of

    for a in (c * n, n / c):
        r = float(relative_error(a, n))
        assert r == pytest.approx((c - 1) / (c + 1), rel=1e-12)
        assert factor_of(r) == pytest.approx(c, rel=1e-9)


def test_are_the_numbers_of_the_hint_the_derived_ones():
    """Factor 2 -> exactly 1/3; missing 1/m -> (m-1)/(m+1) = 1 - 2/(m+1) (0.96 at m = 50, not
    1 - 1/m); r = 0.5 -> a factor 3; a small relative difference e -> about e / 2."""
    assert float(relative_error(2.0, 1.0)) == pytest.approx(1 / 3, rel=1e-15)
    for m in (2, 5, 50, 1000):
        r = float(relative_error(0.8 * m, 0.8))  # the sum where the mean belongs
        assert r == pytest.approx((m - 1) / (m + 1), rel=1e-12)
        assert r == pytest.approx(1 - 2 / (m + 1), rel=1e-12)
        assert 1 - 2 / m < r < 1 - 1 / m
    assert float(relative_error(0.8 * 50, 0.8)) == pytest.approx(0.961, abs=1e-3)
    assert float(relative_error(3.0, 1.0)) == pytest.approx(0.5, rel=1e-15)
    e = 1e-4
    assert float(relative_error(1.0 + e, 1.0)) == pytest.approx(e / (2 + e), rel=1e-9)


@pytest.mark.parametrize("a,n", [(1.0, -1.0), (-3.0, 1e-2), (1e6, -1.0), (0.0, 2.0), (-5.0, 0.0)])
def test_do_opposite_signs_and_one_side_zero_both_give_exactly_1(a, n):
    """Is r exactly 1 for opposite signs whatever the sizes, and for one side exactly 0?"""
    assert float(relative_error(a, n)) == 1.0


@pytest.mark.parametrize("a,n,words", [
    (2.0, 1.0, ["factor of 2", "r = 1/3"]),
    (0.5, 1.0, ["factor of 2", "r = 1/3"]),
    (50 * 0.3, 0.3, ["exactly 50", "r = 49/51", "1/m"]),
    (-1.0, 1.0, ["exactly 1", "opposite"]),
    (0.0, 1.0, ["exactly 1", "analytic entry is 0"]),
    (1.0 + 1e-5, 1.0, ["half the relative difference"]),
    (1.7, 1.0, ["1.7 times", "wrong factor or a missing term"]),
    (2e-4, 1e-4, ["absolute", "below 0.001"]),
    (np.nan, 1.0, ["not finite"]),
])
def test_does_explain_name_the_range_of_the_error(a, n, words):
    """Does explain() say what the relative error of one entry points at, with its numbers?"""
    from autograder.gradcheck import explain

    text = explain(a, n)
    for word in words:
        assert word in text, text
    assert "0.5-0.7" not in text


def test_does_a_planted_missing_1_over_m_get_the_missing_1_over_m_hint():
    """Does the report of a backward pass missing 1/m (m = 7) say r = 6/8 and name 1/m?"""
    params, X, Y = make_network(0, n_in=2, n_hidden=3, n_out=1, m=7)
    grads = network_backward(params, X, Y, bug="missing_one_over_m")
    report = gradient_check(lambda p: network_cost(p, X, Y), params, grads)
    assert report["W1"].max_relative_error == pytest.approx(6 / 8, rel=1e-6)
    text = str(report)
    assert "W1: relative error 0.75" in text and "exactly 7" in text and "1/m" in text
    assert "0.5-0.7" not in text


def test_does_a_flipped_sign_get_the_opposite_signs_hint():
    """Does the report of a flipped bias gradient say the signs are opposite?"""
    f, params, C = linear_problem()
    text = str(gradient_check(f, params, {"W": C, "b": np.array([[-3.0]])}))
    assert "b: relative error exactly 1 because the signs are opposite" in text
    assert "a flipped sign and nothing else" in text


def test_are_opposite_signs_of_different_sizes_not_called_a_flipped_sign():
    """A wrong quantity whose sign also differs (lesson 4's w used for u) is not 'a flipped
    sign': the report says the sizes differ, so the student looks for more than a sign."""
    f, params, C = linear_problem()
    text = str(gradient_check(f, params, {"W": C, "b": np.array([[-7.5]])}))
    assert "b: relative error exactly 1 because the signs are opposite" in text
    assert "flipped sign and nothing else" not in text and "the sizes differ too" in text
