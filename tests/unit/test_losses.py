"""Specification of autograder.losses: per-example losses, their derivatives, the batch mean,
stability of the logit form, and why the sign of a - y matters (the slip S3 of seed 003)."""
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from autograder.activations import sigmoid
from autograder.losses import (
    batch_cost,
    bce_with_logits,
    bce_with_logits_grad,
    binary_cross_entropy,
    squared_error,
    squared_error_grad,
)

SETTINGS = settings(max_examples=30, deadline=None)
FLOAT_MAX = np.finfo(np.float64).max


@st.composite
def pairs(draw, low=-10.0, high=10.0, labels=False, one_d=None):
    """(prediction-like, target) arrays of one shape: (n_outputs, n_samples) or (n_samples,)."""
    one_d = draw(st.booleans()) if one_d is None else one_d
    m = draw(st.integers(1, 6))
    shape = (m,) if one_d else (draw(st.integers(1, 3)), m)
    values = arrays(np.float64, shape, elements=st.floats(low, high))
    targets = arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0]) if labels
                     else st.floats(low, high))
    return draw(values), draw(targets)


def sum_over_outputs(per_entry):
    """Per-example loss from per-entry terms: sum over the output axis of a 2-D array."""
    return per_entry.sum(axis=0) if per_entry.ndim == 2 else per_entry


def silently(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return fn(*args)


# --- squared error ---------------------------------------------------------------------------

@SETTINGS
@given(pair=pairs())
def test_is_squared_error_half_the_summed_squares_per_example(pair):
    """Is l = 1/2 sum_k (y_hat_k - y_k)^2, one number per example (per column)?"""
    y_hat, y = pair
    loss = squared_error(y_hat, y)
    assert loss.shape == (y.shape[-1],)
    np.testing.assert_allclose(loss, sum_over_outputs(0.5 * (y_hat - y) ** 2), rtol=1e-14)


def test_is_the_squared_error_of_scalars_a_scalar():
    """Does squared_error(3, 1) give the number 2.0?"""
    assert squared_error(3.0, 1.0) == 2.0


@SETTINGS
@given(pair=pairs())
def test_does_the_squared_error_derivative_agree_with_autograd(pair):
    """Is dl/dy_hat = y_hat - y, as autograd finds from the definition?"""
    y_hat, y = pair
    expected = autograd.grad(lambda p: anp.sum(0.5 * (p - y) ** 2))(y_hat)
    np.testing.assert_allclose(squared_error_grad(y_hat, y), expected, rtol=1e-10, atol=0)


# --- cross-entropy ---------------------------------------------------------------------------

def direct_cross_entropy(a, y):
    """-[y log a + (1 - y) log(1 - a)], written naively (fine where a stays away from 0 and 1)."""
    return -(y * np.log(a) + (1.0 - y) * np.log(1.0 - a))


@SETTINGS
@given(pair=pairs(-8.0, 8.0), soft=st.booleans())
def test_does_bce_with_logits_equal_the_cross_entropy_of_sigmoid(pair, soft):
    """On |z| <= 8, is log(1 + e^z) - y z the cross-entropy of a = sigmoid(z), for soft y too?"""
    z, y = pair
    y = sigmoid(y) if soft else (y > 0).astype(np.float64)
    a = 1.0 / (1.0 + np.exp(-z))
    expected = sum_over_outputs(direct_cross_entropy(a, y))
    np.testing.assert_allclose(bce_with_logits(z, y), expected, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(pair=pairs(1e-6, 1 - 1e-6), labels=st.booleans())
def test_does_binary_cross_entropy_equal_its_formula(pair, labels):
    """For a in [1e-6, 1 - 1e-6], is binary_cross_entropy(a, y) the direct formula?

    (The direct log(1 - a) loses a few digits near a = 0 that log1p keeps: hence 1e-9.)
    """
    a, y = pair
    if labels:
        y = (y > 0.5).astype(np.float64)
    np.testing.assert_allclose(binary_cross_entropy(a, y),
                               sum_over_outputs(direct_cross_entropy(a, y)), rtol=1e-9)


@SETTINGS
@given(pair=pairs(-8.0, 8.0, labels=True))
def test_do_the_two_cross_entropies_agree(pair):
    """Is binary_cross_entropy(sigmoid(z), y) = bce_with_logits(z, y) on a safe range?"""
    z, y = pair
    np.testing.assert_allclose(binary_cross_entropy(sigmoid(z), y), bce_with_logits(z, y),
                               rtol=1e-9, atol=1e-12)


@SETTINGS
@given(pair=pairs(-30.0, 30.0, labels=True))
def test_does_the_bce_derivative_agree_with_autograd(pair):
    """Is dl/dz = sigmoid(z) - y (= a - y), as autograd finds from log(1 + e^z) - y z?

    Relative to 1e-10, except where a - y cancels (a near y = 1): there both sides round the
    difference of two numbers near 1, so they agree to a few units of 1e-16 absolutely.
    """
    z, y = pair
    expected = autograd.grad(lambda p: anp.sum(anp.log(1.0 + anp.exp(p)) - y * p))(z)
    np.testing.assert_allclose(bce_with_logits_grad(z, y), expected, rtol=1e-10, atol=1e-15)


def test_does_binary_cross_entropy_clip_instead_of_returning_inf():
    """Does a = 0 with y = 1 (a confident wrong answer) give a large finite loss, -log(eps)?"""
    loss = silently(binary_cross_entropy, np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    np.testing.assert_allclose(loss, -np.log(1e-12), rtol=1e-3)


EXTREME_LOGITS = np.array([40.0, 100.0, 1e3, 1e4, 1e300, FLOAT_MAX])


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_is_bce_with_logits_stable_for_huge_logits(sign):
    """For |z| from 40 up to the float64 max: finite, silent, ~|z| when wrong, ~0 when right?"""
    z = sign * EXTREME_LOGITS
    right = np.full_like(z, 1.0 if sign > 0 else 0.0)  # the label z points at
    wrong = 1.0 - right
    loss_wrong = silently(bce_with_logits, z, wrong)
    loss_right = silently(bce_with_logits, z, right)
    assert np.all(np.isfinite(loss_wrong)) and np.all(np.isfinite(loss_right))
    np.testing.assert_allclose(loss_wrong, np.abs(z), rtol=1e-15)
    assert np.all((0.0 <= loss_right) & (loss_right < 1e-15))


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_is_the_bce_derivative_exact_for_huge_logits(sign):
    """For |z| >= 40: is a - y exactly +-1 when wrong, and 0 (to 1e-16) when right?

    (a - y is computed as written, so for z > 0 it rounds sigma(z) to 1 and gives exactly 0
    where the true value is e^-z; an absolute error below 1e-16 is all a gradient needs.)
    """
    z = sign * EXTREME_LOGITS
    right = np.full_like(z, 1.0 if sign > 0 else 0.0)
    grad_right = silently(bce_with_logits_grad, z, right)
    np.testing.assert_allclose(np.abs(grad_right), sigmoid(-np.abs(z)), rtol=0, atol=1e-16)
    np.testing.assert_array_equal(grad_right[np.abs(z) > 745], 0.0)
    np.testing.assert_array_equal(silently(bce_with_logits_grad, z, 1.0 - right), sign)


def test_is_bce_with_logits_log_two_at_zero():
    """With z = 0 (a = 1/2), is the loss log 2 whatever the label?"""
    np.testing.assert_allclose(bce_with_logits(np.zeros(2), np.array([0.0, 1.0])), np.log(2.0),
                               rtol=1e-15)


def test_does_bce_with_logits_sum_over_outputs():
    """With several output rows, is the per-example loss the sum over the rows?"""
    z = np.array([[1.0, -2.0], [0.5, 3.0]])
    y = np.array([[1.0, 0.0], [0.0, 0.0]])
    expected = [bce_with_logits(1.0, 1.0) + bce_with_logits(0.5, 0.0),
                bce_with_logits(-2.0, 0.0) + bce_with_logits(3.0, 0.0)]
    np.testing.assert_allclose(bce_with_logits(z, y), expected, rtol=1e-15)


# --- batch cost ------------------------------------------------------------------------------

@SETTINGS
@given(losses=st.lists(st.floats(0.0, 1e6), min_size=1, max_size=50))
def test_is_the_batch_cost_the_mean(losses):
    """Is batch_cost the mean of the per-example losses, as a Python float?"""
    cost = batch_cost(losses)
    assert type(cost) is float
    np.testing.assert_allclose(cost, sum(losses) / len(losses), rtol=1e-12, atol=1e-300)


def test_does_repeating_the_batch_leave_the_cost_unchanged():
    """Is the cost a mean, not a sum: does doubling the batch by repetition keep it?"""
    losses = np.array([0.5, 2.0, 3.5])
    assert batch_cost(losses) == 2.0
    assert batch_cost(np.tile(losses, 2)) == 2.0


# --- the seed's slip S3: y - a climbs the loss -----------------------------------------------

def logistic_data(seed, n_features=3, m=20):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_features, m))
    y = (rng.random((1, m)) < sigmoid(X[:1] - X[1:2])).astype(np.float64)
    return X, y


def cost(w, b, X, y):
    return batch_cost(bce_with_logits(w @ X + b, y))


def gradient_descent(X, y, dJdz_of, lr, steps):
    """Run logistic-regression gradient descent with the given dJ/dz; return every cost."""
    w, b = np.zeros((1, X.shape[0])), np.zeros((1, 1))
    m = X.shape[1]
    costs = [cost(w, b, X, y)]
    for _ in range(steps):
        dJdz = dJdz_of(sigmoid(w @ X + b), y)
        w = w - lr * (dJdz @ X.T) / m
        b = b - lr * dJdz.sum(axis=1, keepdims=True) / m
        costs.append(cost(w, b, X, y))
    return np.array(costs)


def safe_learning_rate(X):
    """1/L for the logistic cost: L = largest eigenvalue of [X; 1][X; 1]^T / (4 m)."""
    Xb = np.vstack([X, np.ones((1, X.shape[1]))])
    return 4.0 * X.shape[1] / np.linalg.eigvalsh(Xb @ Xb.T)[-1]


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_does_gradient_descent_with_a_minus_y_lower_the_cost(seed):
    """With dJ/dz = a - y, does every step of gradient descent lower the cost?"""
    X, y = logistic_data(seed)
    costs = gradient_descent(X, y, lambda a, y: a - y, safe_learning_rate(X), 15)
    assert np.all(np.diff(costs) < 0)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), lr=st.sampled_from([1e-3, 0.1, 1.0]))
def test_does_gradient_descent_with_y_minus_a_raise_the_cost(seed, lr):
    """With the slip dJ/dz = y - a (S3), does every step raise the cost, for any learning rate?

    The cost is convex, and y - a is minus its gradient, so each step climbs.
    """
    X, y = logistic_data(seed)
    costs = gradient_descent(X, y, lambda a, y: y - a, lr, 15)
    assert np.all(np.diff(costs) > 0)
    assert costs[-1] > costs[0] > 0
