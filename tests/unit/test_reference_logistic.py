"""Oracle tests of autograder.reference.logistic (lesson 03, seed 003).

Every gradient is computed a second time by an independent route (finite differences through
autograder.gradcheck, and autograd applied to a cost written here in the probability form
-[y log a + (1 - y) log(1 - a)]), and gradient descent is compared with two independent solvers
(scikit-learn's L-BFGS and a Newton's method written below) on real data.
"""
from __future__ import annotations

import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from autograder.activations import sigmoid
from autograder.datasets import load_breast_cancer
from autograder.gradcheck import gradient_check
from autograder.reference import logistic as L

SETTINGS = settings(max_examples=30, deadline=None)


def rel_error(a, b):
    """Norm-wise relative error ||a - b|| / (||a|| + ||b||), as in CS231n."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


@st.composite
def problems(draw):
    """A random logistic-regression problem with moderate logits (|z| < ~11).

    Moderate, because the independent cost below uses log(a) and log(1 - a), which lose digits
    once a rounds towards 0 or 1.
    """
    p = draw(st.integers(1, 4))
    m = draw(st.integers(2, 9))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.5, 1.5, size=(p, m))
    w = rng.uniform(-1.5, 1.5, size=(p, 1))
    b = float(rng.uniform(-1.5, 1.5))
    y = rng.integers(0, 2, size=(1, m)).astype(np.float64)
    return w, b, X, y


# ---- an independent implementation, written in the probability form, for autograd ----------

def independent_cost(w, b, X, y):
    """Mean cross-entropy -[y log a + (1 - y) log(1 - a)] with a = 1 / (1 + e^-z), in autograd."""
    z = anp.dot(anp.transpose(w), X) + b
    a = 1.0 / (1.0 + anp.exp(-z))
    return -anp.mean(y * anp.log(a) + (1.0 - y) * anp.log(1.0 - a))


def independent_per_example_loss(z, y):
    a = 1.0 / (1.0 + anp.exp(-z))
    return -(y * anp.log(a) + (1.0 - y) * anp.log(1.0 - a))


# ---- forward ---------------------------------------------------------------------------------

@SETTINGS
@given(problems())
def test_does_forward_compute_z_as_b_plus_w_dot_x_for_every_column(problem):
    """Is z^(i) = b + sum_j w_j x_j^(i), a = sigma(z), each of shape (1, m)? (003-6)"""
    w, b, X, _ = problem
    z, a = L.logistic_forward(w, b, X)
    p, m = X.shape
    assert z.shape == a.shape == (1, m)
    expected = np.array([[b + sum(w[j, 0] * X[j, i] for j in range(p)) for i in range(m)]])
    np.testing.assert_allclose(z, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a, 1.0 / (1.0 + np.exp(-expected)), rtol=1e-12)


def test_does_forward_leave_its_inputs_alone():
    """Are w and X unchanged after the forward pass?"""
    rng = np.random.default_rng(1)
    w, X = rng.normal(size=(3, 1)), rng.normal(size=(3, 5))
    w0, X0 = w.copy(), X.copy()
    L.logistic_forward(w, 0.3, X)
    assert np.array_equal(w, w0) and np.array_equal(X, X0)


# ---- cost ------------------------------------------------------------------------------------

@SETTINGS
@given(problems())
def test_does_the_cost_in_z_equal_the_cross_entropy_in_a(problem):
    """Is log(1 + e^z) - y z the same number as -[y log a + (1 - y) log(1 - a)]? (003-7)"""
    w, b, X, y = problem
    cost = L.logistic_cost(w, b, X, y)
    assert isinstance(cost, float)
    assert rel_error(cost, independent_cost(w, b, X, y)) < 1e-10


def test_is_the_cost_the_mean_negative_log_likelihood():
    """Does minimising the cost maximise the likelihood prod a^y (1 - a)^(1 - y)? (003-1)"""
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(2, 6)), rng.integers(0, 2, size=(1, 6)).astype(float)
    candidates = [(rng.normal(size=(2, 1)), float(rng.normal())) for _ in range(5)]
    likelihoods, costs = [], []
    for w, b in candidates:
        _, a = L.logistic_forward(w, b, X)
        likelihood = float(np.prod(a ** y * (1.0 - a) ** (1.0 - y)))
        cost = L.logistic_cost(w, b, X, y)
        assert cost == pytest.approx(-np.log(likelihood) / X.shape[1], rel=1e-12)
        likelihoods.append(likelihood)
        costs.append(cost)
    assert np.argmax(likelihoods) == np.argmin(costs)


# ---- dJ/dz and the gradients -------------------------------------------------------------------

@SETTINGS
@given(problems())
def test_is_dJdz_a_minus_y_as_autograd_finds(problem):
    """Is the per-example dl/dz equal to a - y (not y - a, slip S3)? (003-8)"""
    w, b, X, y = problem
    z, a = L.logistic_forward(w, b, X)
    dJdz = L.logistic_dJdz(z, y)
    oracle = autograd.elementwise_grad(independent_per_example_loss)(z, y)
    assert dJdz.shape == z.shape
    assert rel_error(dJdz, oracle) < 1e-10
    np.testing.assert_allclose(dJdz, a - y, rtol=1e-12, atol=1e-15)


@SETTINGS
@given(problems())
def test_do_the_gradients_agree_with_autograd(problem):
    """Do dw (p, 1) and db (float) equal autograd's gradient of the mean cost, to 1e-10?"""
    w, b, X, y = problem
    dw, db = L.logistic_gradients(w, b, X, y)
    assert dw.shape == w.shape and isinstance(db, float)
    assert rel_error(dw, autograd.grad(independent_cost, 0)(w, b, X, y)) < 1e-10
    assert rel_error(db, autograd.grad(independent_cost, 1)(w, b, X, y)) < 1e-10


@SETTINGS
@given(problems())
def test_do_the_gradients_pass_a_numerical_gradient_check(problem):
    """Does the gradient check report a relative error below 1e-7 for w and for b separately?"""
    w, b, X, y = problem
    dw, db = L.logistic_gradients(w, b, X, y)
    report = gradient_check(lambda P: L.logistic_cost(P["w"], P["b"], X, y),
                            {"w": w, "b": np.array(b)}, {"dw": dw, "db": np.array(db)})
    assert report.passed, str(report)


@SETTINGS
@given(problems())
def test_does_the_loop_give_the_vectorised_numbers(problem):
    """Does the per-example loop, reusing dJ/dz for every parameter, match X dJdz^T / m? (003-11)"""
    w, b, X, y = problem
    dw_vec, db_vec = L.logistic_gradients(w, b, X, y)
    dw_loop, db_loop = L.logistic_gradients_loop(w, b, X, y)
    np.testing.assert_allclose(dw_loop, dw_vec, rtol=1e-12, atol=1e-15)
    assert db_loop == pytest.approx(db_vec, rel=1e-12, abs=1e-15)


def test_are_dz_db_one_and_grad_w_z_the_example():
    """Are dz/db = 1 and grad_w z = x, as autograd finds for one example? (003-9)"""
    rng = np.random.default_rng(4)
    x, w, b = rng.normal(size=(3, 1)), rng.normal(size=(3, 1)), 0.7

    def z_of(w, b):
        return anp.sum(anp.dot(anp.transpose(w), x) + b)

    assert autograd.grad(z_of, 1)(w, b) == pytest.approx(1.0)
    np.testing.assert_allclose(autograd.grad(z_of, 0)(w, b), x, rtol=1e-14)


def test_does_the_seed_sum_differ_from_the_mean_only_by_m():
    """Is seed 003's summed gradient (sum(dJdz), X @ dJdz.T) exactly m times the mean's?"""
    rng = np.random.default_rng(5)
    X, w, b = rng.normal(size=(3, 7)), rng.normal(size=(3, 1)), -0.4
    y = rng.integers(0, 2, size=(1, 7)).astype(float)
    dJdz = L.logistic_dJdz(L.logistic_forward(w, b, X)[0], y)
    dw, db = L.logistic_gradients(w, b, X, y)
    np.testing.assert_allclose(X @ dJdz.T, 7 * dw, rtol=1e-12)
    assert np.sum(dJdz) == pytest.approx(7 * db, rel=1e-12)


# ---- stability ---------------------------------------------------------------------------------

def test_are_cost_and_gradients_finite_and_silent_for_huge_logits():
    """For |z| up to 1e4: no warning, finite cost and gradients, and the exact limiting values?"""
    z_values = np.array([[-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4]])
    X = z_values.copy()                       # one feature, w = 1, b = 0: z = X
    w = np.ones((1, 1))
    m = X.shape[1]
    for y in (np.zeros((1, m)), np.ones((1, m))):
        with warnings.catch_warnings(), \
                np.errstate(over="raise", divide="raise", invalid="raise"):
            warnings.simplefilter("error")
            z, a = L.logistic_forward(w, 0.0, X)
            cost = L.logistic_cost(w, 0.0, X, y)
            dJdz = L.logistic_dJdz(z, y)
            dw, db = L.logistic_gradients(w, 0.0, X, y)
            dw_loop, db_loop = L.logistic_gradients_loop(w, 0.0, X, y)
        assert np.all(np.isfinite(a)) and np.isfinite(cost)
        assert np.all(np.isfinite(dw)) and np.isfinite(db)
        # l = max(z, 0) - y z + log(1 + e^-|z|): for |z| >= 40 the last term is below 1e-17
        per_example = np.maximum(z_values, 0) - y * z_values + np.log1p(np.exp(-np.abs(z_values)))
        assert cost == pytest.approx(float(np.mean(per_example)), rel=1e-14)
        np.testing.assert_allclose(dJdz, sigmoid(z_values) - y, atol=1e-15)
        np.testing.assert_allclose(dw_loop, dw, rtol=1e-12)
        assert db_loop == pytest.approx(db, rel=1e-12)


# ---- gradient descent --------------------------------------------------------------------------

def test_does_gradient_descent_record_costs_and_go_downhill():
    """Is costs[0] the starting cost, are there n_iter + 1 costs, and do they never increase?"""
    rng = np.random.default_rng(6)
    X = rng.normal(size=(3, 40))
    y = (rng.uniform(size=(1, 40)) < sigmoid(X[:1] - X[2:3])).astype(float)
    w0, b0 = rng.normal(size=(3, 1)), 0.5
    w0_copy = w0.copy()
    w, b, costs = L.logistic_gradient_descent(X, y, lr=0.5, n_iter=30, w0=w0, b0=b0)
    assert w.shape == (3, 1) and isinstance(b, float) and costs.shape == (31,)
    assert costs[0] == pytest.approx(L.logistic_cost(w0, b0, X, y), rel=1e-14)
    assert costs[-1] == pytest.approx(L.logistic_cost(w, b, X, y), rel=1e-14)
    assert np.all(np.diff(costs) <= 1e-15)
    assert np.array_equal(w0, w0_copy), "w0 must not be modified"
    w_zero, _, _ = L.logistic_gradient_descent(X, y, lr=0.5, n_iter=0)
    assert np.array_equal(w_zero, np.zeros((3, 1)))


def test_does_each_step_subtract_lr_times_the_gradient():
    """Is one step exactly w - lr dw, b - lr db?"""
    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(2, 9)), rng.integers(0, 2, size=(1, 9)).astype(float)
    w0, b0 = rng.normal(size=(2, 1)), -0.2
    dw, db = L.logistic_gradients(w0, b0, X, y)
    w, b, _ = L.logistic_gradient_descent(X, y, lr=0.3, n_iter=1, w0=w0, b0=b0)
    np.testing.assert_allclose(w, w0 - 0.3 * dw, rtol=1e-14)
    assert b == pytest.approx(b0 - 0.3 * db, rel=1e-14)


def test_does_gradient_descent_with_y_minus_a_climb_the_loss():
    """Slip S3: with dJdz = y - a does every step increase the cost (and a - y decrease it)?"""
    rng = np.random.default_rng(8)
    X = rng.normal(size=(2, 30))
    y = (X[:1] + 0.5 * rng.normal(size=(1, 30)) > 0).astype(float)
    w, b = np.zeros((2, 1)), 0.0
    costs = [L.logistic_cost(w, b, X, y)]
    for _ in range(20):
        z, a = L.logistic_forward(w, b, X)
        wrong = y - a
        w, b = w - 0.5 * X @ wrong.T / 30, b - 0.5 * float(np.mean(wrong))
        costs.append(L.logistic_cost(w, b, X, y))
    assert np.all(np.diff(costs) > 0)


def newton_logistic(X, y, n_iter=30):
    """Newton's method on the mean cross-entropy, written independently of the reference.

    theta = [b, w] acts on A = [1; X]; gradient A (a - y)^T / m, Hessian A diag(a(1-a)) A^T / m.
    """
    p, m = X.shape
    A = np.vstack([np.ones((1, m)), X])
    theta = np.zeros((p + 1, 1))
    for _ in range(n_iter):
        z = theta.T @ A
        a = np.exp(-np.logaddexp(0.0, -z))
        grad = A @ (a - y).T / m
        hessian = (A * (a * (1.0 - a))) @ A.T / m
        theta = theta - np.linalg.solve(hessian, grad)
    return theta[1:], float(theta[0, 0]), grad, hessian


FEATURES = ["mean radius", "mean texture", "mean smoothness"]


@pytest.fixture(scope="module")
def cancer():
    X, y, _ = load_breast_cancer(FEATURES)
    return X, y


def test_are_the_chosen_breast_cancer_features_not_linearly_separable(cancer):
    """Does the cost have a finite minimiser (Newton converges, positive definite Hessian)?

    On separable data the cost has no minimiser (the weights would grow forever), so neither
    solver's answer would be a fair target.
    """
    X, y = cancer
    w, b, grad, hessian = newton_logistic(X, y)
    assert np.max(np.abs(grad)) < 1e-12
    assert np.min(np.linalg.eigvalsh(hessian)) > 1e-3
    assert np.all(np.abs(w) < 10) and abs(b) < 10
    assert 0.8 < np.mean(L.logistic_predict(w, b, X) == y) < 1.0


def test_does_gradient_descent_reach_the_optimum_of_sklearn_and_of_newton(cancer):
    """Does GD on breast-cancer data end where L-BFGS (scikit-learn) and Newton's method end?

    C=np.inf is scikit-learn's unpenalised fit (penalty=None is deprecated since 1.8).
    """
    X, y = cancer
    w, b, costs = L.logistic_gradient_descent(X, y, lr=10.0, n_iter=2000)

    sk = LogisticRegression(C=np.inf, solver="lbfgs", tol=1e-12, max_iter=100_000)
    sk.fit(X.T, y.ravel())
    w_sk, b_sk = sk.coef_.reshape(-1, 1), float(sk.intercept_[0])
    w_nt, b_nt, _, _ = newton_logistic(X, y)

    for w_ref, b_ref in ((w_sk, b_sk), (w_nt, b_nt)):
        assert costs[-1] == pytest.approx(L.logistic_cost(w_ref, b_ref, X, y), abs=1e-9)
        np.testing.assert_allclose(w, w_ref, rtol=1e-5)
        assert b == pytest.approx(b_ref, rel=1e-5)
    np.testing.assert_allclose(w_nt, w_sk, rtol=1e-5)   # the two oracles agree with each other


# ---- prediction and composition ----------------------------------------------------------------

@SETTINGS
@given(problems())
def test_does_predict_threshold_the_probability_at_one_half(problem):
    """Are predictions 1.0 where a >= 1/2 and 0.0 elsewhere, of shape (1, m)?"""
    w, b, X, _ = problem
    pred = L.logistic_predict(w, b, X)
    _, a = L.logistic_forward(w, b, X)
    assert pred.shape == (1, X.shape[1]) and pred.dtype == np.float64
    assert set(np.unique(pred)) <= {0.0, 1.0}
    assert np.array_equal(pred, (a >= 0.5).astype(float))


def test_is_forward_propagation_a_composition_of_the_three_layers():
    """Is the nested tanh-tanh-sigmoid expression the layer-by-layer forward pass? (003-5)"""
    rng = np.random.default_rng(9)
    sizes = [4, 3, 2, 1]
    params = {}
    for layer in (1, 2, 3):
        params[f"W{layer}"] = rng.normal(size=(sizes[layer], sizes[layer - 1]))
        params[f"b{layer}"] = rng.normal(size=(sizes[layer], 1))
    X = rng.normal(size=(4, 6))
    a = X
    for layer, g in ((1, np.tanh), (2, np.tanh), (3, lambda z: 1.0 / (1.0 + np.exp(-z)))):
        a = g(params[f"b{layer}"] + params[f"W{layer}"] @ a)
    out = L.forward_composition(params, X)
    assert out.shape == (1, 6)
    np.testing.assert_allclose(out, a, rtol=1e-14)
