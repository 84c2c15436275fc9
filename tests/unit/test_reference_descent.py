"""Oracle tests of autograder.reference.descent (seed 003: 003-2, 003-3, 003-4, slip S4).

On a quadratic cost gradient descent has a closed form, ``theta_k - m = (I - lr H)^k
(theta_0 - m)``: the iterates are checked against it rather than against a second loop.
"""
import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.reference import descent as ref
from autograder.reference.neuron import neuron_batch_gradients, neuron_cost

finite = st.floats(-5.0, 5.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(curvature=st.floats(0.1, 3.0), minimum=finite, w0=finite, step=st.floats(0.01, 1.9),
       n_iter=st.integers(0, 30))
def test_does_1d_descent_follow_the_closed_form_on_a_parabola(curvature, minimum, w0, step,
                                                              n_iter):
    """On J = c/2 (w - m)^2, is w_k = m + (1 - lr c)^k (w0 - m) for every k (003-3)?"""
    lr = step / curvature  # lr * c in (0, 2): the stable range
    path = ref.gradient_descent_1d(lambda w: curvature * (w - minimum), w0, lr, n_iter)
    k = np.arange(n_iter + 1)
    expected = minimum + (1.0 - lr * curvature) ** k * (w0 - minimum)
    assert path.shape == (n_iter + 1,) and path.dtype == np.float64
    assert path[0] == w0
    np.testing.assert_allclose(path, expected, rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(w0=finite, lr=st.floats(0.01, 0.5), n_iter=st.integers(1, 20))
def test_does_each_step_go_against_the_slope(w0, lr, n_iter):
    """Does every step move opposite to the sign of dJ/dw, by lr |dJ/dw| (003-2)?"""
    def dJ(w):
        return math.sin(w) + 0.3 * w  # a non-convex cost 0.15 w^2 - cos(w)

    path = ref.gradient_descent_1d(dJ, w0, lr, n_iter)
    slopes = np.array([dJ(w) for w in path[:-1]])
    np.testing.assert_allclose(np.diff(path), -lr * slopes, rtol=1e-12, atol=1e-15)
    moved = np.diff(path)
    # a step smaller than half an ulp of w rounds to no move at all (w0 = 5e-324 did that)
    visible = np.abs(lr * slopes) > np.spacing(np.abs(path[:-1]))
    assert np.all(np.sign(moved[visible]) == -np.sign(slopes[visible]))


def test_does_zero_iterations_return_only_the_start():
    """With n_iter = 0, is the path just [w0], with dJ never called?"""
    def dJ(w):
        raise AssertionError("dJ should not be called")

    np.testing.assert_array_equal(ref.gradient_descent_1d(dJ, 1.5, 0.1, 0), [1.5])


def test_does_a_too_large_learning_rate_diverge_quietly_into_nan():
    """With lr c > 2, does the path grow, then turn nan with no warning and no call on inf?"""
    calls = []

    def dJ(w):
        assert np.isfinite(w), "dJ was called on a non-finite w"
        calls.append(w)
        return 4.0 * w ** 3  # J = w^4: the step grows with the cube of w

    path = ref.gradient_descent_1d(dJ, 2.0, 0.5, 12)  # RuntimeWarning is an error in pytest
    finite_part = path[np.isfinite(path)]
    assert np.all(np.abs(np.diff(finite_part)) > 0) and abs(finite_part[-1]) > 1e100
    first_bad = int(np.argmin(np.isfinite(path)))
    assert first_bad > 1 and np.all(np.isnan(path[first_bad:]))
    assert len(calls) == first_bad


def test_does_an_overflow_inside_dJ_count_as_divergence():
    """Does a dJ that raises OverflowError (math.exp) end the path in nan instead of raising?"""
    path = ref.gradient_descent_1d(lambda w: math.exp(w), 800.0, 1.0, 3)
    assert path[0] == 800.0 and np.all(np.isnan(path[1:]))


@pytest.mark.parametrize("lr, n_iter", [(0.1, -1), (0.1, 2.5), (np.inf, 3), (0.1, True)])
def test_are_bad_schedules_refused(lr, n_iter):
    """Are a negative or fractional n_iter and an infinite lr refused?"""
    with pytest.raises(ValueError):
        ref.gradient_descent_1d(lambda w: w, 0.0, lr, n_iter)
    with pytest.raises(ValueError):
        ref.gradient_descent(lambda t: t, np.zeros(2), lr, n_iter)


@st.composite
def quadratics(draw):
    """A positive-definite H (p, p), a minimum m and a start, for J = 1/2 (t-m)^T H (t-m)."""
    p = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((p, p))
    H = A @ A.T + 0.5 * np.eye(p)
    return H, rng.standard_normal(p), rng.standard_normal(p)


@settings(max_examples=30, deadline=None)
@given(quadratics(), st.floats(0.05, 0.95), st.integers(0, 25))
def test_does_vector_descent_follow_the_matrix_closed_form(quadratic, fraction, n_iter):
    """Is theta_k = m + (I - lr H)^k (theta_0 - m) for a vector of parameters (003-4)?"""
    H, m, theta0 = quadratic
    lr = fraction * 2.0 / np.linalg.eigvalsh(H).max()
    theta0_before = theta0.copy()
    theta, history = ref.gradient_descent(lambda t: H @ (t - m), theta0, lr, n_iter)
    step = np.eye(len(m)) - lr * H
    expected = np.array([m + np.linalg.matrix_power(step, k) @ (theta0 - m)
                         for k in range(n_iter + 1)])
    assert history.shape == (n_iter + 1, len(m))
    np.testing.assert_allclose(history, expected, rtol=1e-9, atol=1e-11)
    np.testing.assert_array_equal(theta, history[-1])
    np.testing.assert_array_equal(theta0, theta0_before)


@settings(max_examples=25, deadline=None)
@given(quadratics(), st.floats(0.05, 0.95), st.integers(0, 10))
def test_does_the_dict_form_match_the_array_form(quadratic, fraction, n_iter):
    """Do {"w": ..., "b": ...} parameters with "dw"/"db" gradients follow the array path?"""
    H, m, theta0 = quadratic
    lr = fraction * 2.0 / np.linalg.eigvalsh(H).max()
    p = len(m)

    def grad_dict(params):
        g = H @ (np.append(params["w"], params["b"]) - m)
        return {"dw": g[:-1], "db": float(g[-1])}

    start = {"w": theta0[:-1].copy(), "b": float(theta0[-1])}
    theta, history = ref.gradient_descent(grad_dict, start, lr, n_iter)
    _, array_history = ref.gradient_descent(lambda t: H @ (t - m), theta0, lr, n_iter)
    assert len(history) == n_iter + 1 and type(theta["b"]) is float
    flat = np.array([np.append(h["w"], h["b"]) for h in history])
    np.testing.assert_allclose(flat, array_history, rtol=1e-12, atol=1e-14)
    assert theta["w"].shape == (p - 1,)
    np.testing.assert_array_equal(start["w"], theta0[:-1])


def test_does_a_diverging_vector_run_turn_whole_iterates_into_nan():
    """Once one parameter overflows, is every later iterate nan in every entry?"""
    theta, history = ref.gradient_descent(lambda t: t ** 3, np.array([3.0, 0.1]), 1.0, 10)
    first_bad = int(np.argmin(np.all(np.isfinite(history), axis=1)))
    assert first_bad > 1 and np.all(np.isnan(history[first_bad:]))
    assert np.all(np.isnan(theta))
    theta, history = ref.gradient_descent(lambda p: {"w": p["w"] ** 3, "b": p["b"]},
                                          {"w": 3.0, "b": 0.1}, 1.0, 10)
    assert np.isnan(history[-1]["w"]) and np.isnan(history[-1]["b"]) and np.isnan(theta["w"])
    assert np.isfinite(history[1]["w"])


def test_does_a_scalar_theta_match_the_1d_function():
    """Is gradient_descent on a 0-d parameter the same path as gradient_descent_1d?"""
    theta, history = ref.gradient_descent(lambda t: 2.0 * (t - 1.0), 4.0, 0.2, 6)
    np.testing.assert_array_equal(
        history, ref.gradient_descent_1d(lambda w: 2.0 * (w - 1.0), 4.0, 0.2, 6))


def test_does_a_gradient_of_the_wrong_shape_get_a_message():
    """Is a gradient that does not have the parameter's shape refused?"""
    with pytest.raises(ValueError, match="shape of theta"):
        ref.gradient_descent(lambda t: np.ones(3), np.zeros(2), 0.1, 1)


def _neuron_problem():
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 1.5, size=40)
    y = (x + rng.normal(0.0, 2.0, size=40) > 0.5).astype(np.float64)
    return x, y


def test_does_descent_on_w_b_fit_the_neuron():
    """Does vector descent on [w, b] with [dJ/dw, dJ/db] reach a zero gradient (003-4)?"""
    x, y = _neuron_problem()

    def gradient(theta):
        return np.array(neuron_batch_gradients(theta[0], theta[1], x, y))

    theta, history = ref.gradient_descent(gradient, np.array([0.0, 0.0]), 2.0, 1000)
    costs = [neuron_cost(w, b, x, y) for w, b in history[::100]]
    assert np.all(np.diff(costs) <= 1e-15)
    assert np.linalg.norm(gradient(theta)) < 1e-6
    oracle = grad(lambda t: anp.mean(0.5 * (1 / (1 + anp.exp(-(t[0] * x + t[1]))) - y) ** 2))
    np.testing.assert_allclose(oracle(theta), gradient(theta), rtol=1e-10, atol=1e-14)


def test_does_the_s4_ordering_slip_break_descent():
    """Slip S4: does subtracting [dJ/db, dJ/dw] from [w, b] fail where the right order works?

    Swapping the partial derivatives is not a descent direction: the inner product with the
    true gradient is 2 (dJ/dw)(dJ/db), negative whenever the two partials differ in sign.
    """
    H = np.diag([1.0, 6.0])  # J(w, b) = 1/2 (w - 1)^2 + 3 (b + 2)^2
    m = np.array([1.0, -2.0])

    def right(theta):
        return H @ (theta - m)

    def swapped(theta):
        return right(theta)[::-1]

    def cost(t):
        return 0.5 * (t - m) @ H @ (t - m)

    theta_right, _ = ref.gradient_descent(right, np.zeros(2), 0.1, 200)
    theta_swapped, history = ref.gradient_descent(swapped, np.zeros(2), 0.1, 200)
    np.testing.assert_allclose(theta_right, m, atol=1e-10)
    assert not np.allclose(theta_swapped, m, atol=1e-3)
    assert cost(history[-1]) > cost(history[0])
