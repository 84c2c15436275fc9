"""Oracle tests of autograder.reference.hidden_layer (one hidden layer, seed 000).

Every gradient is computed twice more and compared: by finite differences
(autograder.gradcheck, relative error < 1e-7) and by autograd applied to a forward pass written
here, independently of the reference, with autograd.numpy (relative error < 1e-10).
"""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.gradcheck import gradient_check, relative_error
from autograder.reference import hidden_layer as hl

ORACLE_TOL = 1e-10
ACTIVATIONS = ("sigmoid", "tanh", "relu")
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
PARAM_NAMES = ("W1", "b1", "W2", "b2")


# --- the independent oracle: the network written out with autograd.numpy -----------------------

def _oracle_activation(name, z):
    if name == "sigmoid":
        return 1.0 / (1.0 + anp.exp(-z))
    if name == "tanh":
        return anp.tanh(z)
    return anp.maximum(z, 0.0)


def oracle_cost(W1, b1, W2, b2, X, y, activation):
    """Mean squared error written with explicit per-unit sums (no reference code)."""
    n = X.shape[1]
    hidden = [_oracle_activation(activation, anp.sum(W1[j][:, None] * X, axis=0) + b1[j, 0])
              for j in range(W1.shape[0])]
    y_hat = sum(W2[0, j] * hidden[j] for j in range(len(hidden))) + b2[0, 0]
    return anp.sum(0.5 * (y_hat - y[0]) ** 2) / n


def oracle_tied_cost(w, c, v, b, x, y, activation):
    """The tied-weight network's mean squared error, one unit at a time."""
    y_hat = b + sum(v[j] * _oracle_activation(activation, w * x + c[j]) for j in range(len(c)))
    return anp.mean(0.5 * (y_hat - y) ** 2)


def assert_oracle_close(ours, oracle, label):
    error = float(np.max(relative_error(ours, oracle))) if np.size(ours) else 0.0
    assert np.shape(ours) == np.shape(oracle), label
    assert error < ORACLE_TOL, f"{label}: relative error {error:.2e} against autograd"


# --- strategies ------------------------------------------------------------------------------

def _floats(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def networks(draw, activations=ACTIVATIONS):
    """A network, a batch and an activation, with inputs kept away from the ReLU kink."""
    p, d, n = (draw(st.integers(1, 4)) for _ in range(3))
    activation = draw(st.sampled_from(activations))
    params = {
        "W1": draw(hnp.arrays(np.float64, (d, p), elements=_floats(-2, 2))),
        "b1": draw(hnp.arrays(np.float64, (d, 1), elements=_floats(-1, 1))),
        "W2": draw(hnp.arrays(np.float64, (1, d), elements=_floats(-2, 2))),
        "b2": draw(hnp.arrays(np.float64, (1, 1), elements=_floats(-1, 1))),
    }
    X = draw(hnp.arrays(np.float64, (p, n), elements=_floats(-2, 2)))
    y = draw(hnp.arrays(np.float64, (1, n), elements=_floats(-2, 2)))
    if activation == "relu":
        Z1 = params["W1"] @ X + params["b1"]
        assume(np.min(np.abs(Z1)) > 0.05)  # finite differences are unreliable at the kink
    return params, X, y, activation


@st.composite
def tied_networks(draw):
    d = draw(st.integers(1, 4))
    n = draw(st.integers(1, 5))
    activation = draw(st.sampled_from(ACTIVATIONS))
    w = draw(_floats(-2, 2))
    c = draw(hnp.arrays(np.float64, (d,), elements=_floats(-1, 1)))
    v = draw(hnp.arrays(np.float64, (d,), elements=_floats(-2, 2)))
    b = draw(_floats(-1, 1))
    x = draw(hnp.arrays(np.float64, (n,), elements=_floats(-2, 2)))
    y = draw(hnp.arrays(np.float64, (n,), elements=_floats(-2, 2)))
    if activation == "relu":
        assume(np.min(np.abs(w * x[None, :] + c[:, None])) > 0.05)
    return w, c, v, b, x, y, activation


def example_network(rng=None, p=3, d=2, n=5):
    rng = np.random.default_rng(7) if rng is None else rng
    params = {"W1": rng.normal(size=(d, p)), "b1": rng.normal(size=(d, 1)),
              "W2": rng.normal(size=(1, d)), "b2": rng.normal(size=(1, 1))}
    return params, rng.normal(size=(p, n)), rng.normal(size=(1, n))


# --- forward pass and cost ---------------------------------------------------------------------

def test_does_hidden_forward_return_the_documented_shapes():
    """Does hidden_forward return Z1, A1 of shape (d, n) and y_hat of shape (1, n)?"""
    params, X, _ = example_network(p=3, d=2, n=5)
    cache = hl.hidden_forward(params, X)
    assert cache["Z1"].shape == (2, 5) and cache["A1"].shape == (2, 5)
    assert cache["y_hat"].shape == (1, 5)
    assert all(value.dtype == np.float64 for value in cache.values())


def test_does_hidden_forward_follow_the_seed_sums_entry_by_entry():
    """Is z_j^(1) = sum_k w_jk x_k + b_j and y_hat = sum_j w_j^(2) a_j + b^(2) (seed 000-9)?"""
    params, X, _ = example_network(p=3, d=2, n=4)
    cache = hl.hidden_forward(params, X, "tanh")
    for i in range(X.shape[1]):
        for j in range(2):
            z = sum(params["W1"][j, k] * X[k, i] for k in range(3)) + params["b1"][j, 0]
            assert cache["Z1"][j, i] == pytest.approx(z, rel=1e-14)
            assert cache["A1"][j, i] == pytest.approx(np.tanh(z), rel=1e-14)
        y_hat = sum(params["W2"][0, j] * cache["A1"][j, i] for j in range(2)) + params["b2"][0, 0]
        assert cache["y_hat"][0, i] == pytest.approx(y_hat, rel=1e-14)


@SETTINGS
@given(networks())
def test_does_hidden_cost_agree_with_the_oracle(case):
    """Is hidden_cost the mean over examples of 1/2 (y_hat - y)^2?"""
    params, X, y, activation = case
    ours = hl.hidden_cost(params, X, y, activation)
    oracle = oracle_cost(*(params[k] for k in PARAM_NAMES), X, y, activation)
    assert isinstance(ours, float)
    assert ours == pytest.approx(float(oracle), rel=1e-12, abs=1e-15)


# --- gradients ----------------------------------------------------------------------------------

@SETTINGS
@given(networks())
def test_does_hidden_backward_agree_with_autograd(case):
    """Does every gradient of hidden_backward match autograd on an independent forward pass?"""
    params, X, y, activation = case
    grads = hl.hidden_backward(params, X, y, activation)
    args = [params[k] for k in PARAM_NAMES]
    for index, name in enumerate(PARAM_NAMES):
        oracle = autograd.grad(oracle_cost, index)(*args, X, y, activation)
        assert_oracle_close(grads["d" + name], oracle, f"d{name} ({activation})")


@SETTINGS
@given(networks())
def test_does_hidden_backward_pass_the_gradient_check(case):
    """Does hidden_backward agree with finite differences (relative error < 1e-7 per parameter)?"""
    params, X, y, activation = case
    grads = hl.hidden_backward(params, X, y, activation)
    report = gradient_check(lambda p: hl.hidden_cost(p, X, y, activation), params, grads)
    assert report.passed, str(report)


def test_are_the_layer_gradients_the_parts_of_hidden_backward():
    """Do output_layer_gradients and hidden_layer_gradients return (dW2, db2) and (dW1, db1)?"""
    params, X, y = example_network()
    grads = hl.hidden_backward(params, X, y)
    dW2, db2 = hl.output_layer_gradients(params, X, y)
    dW1, db1 = hl.hidden_layer_gradients(params, X, y)
    for ours, name in ((dW2, "dW2"), (db2, "db2"), (dW1, "dW1"), (db1, "db1")):
        np.testing.assert_array_equal(ours, grads[name])


def test_is_the_batch_gradient_the_mean_of_the_per_example_gradients():
    """Is the gradient of the mean cost the mean of the one-example gradients (seed 000-6)?"""
    params, X, y = example_network(n=6)
    batch = hl.hidden_backward(params, X, y)
    singles = [hl.hidden_backward(params, X[:, [i]], y[:, [i]]) for i in range(6)]
    for name, value in batch.items():
        np.testing.assert_allclose(value, np.mean([s[name] for s in singles], axis=0),
                                   rtol=1e-12, atol=1e-15)


def test_does_the_hidden_gradient_use_h_prime_at_the_hidden_pre_activation():
    """Is dL/dw_jk^(1) = delta * w_j^(2) * h'(z_j^(1)) * x_k for one example (000-10, slip S1)?"""
    params, X, y = example_network(n=1)
    cache = hl.hidden_forward(params, X)
    delta = cache["y_hat"][0, 0] - y[0, 0]
    sig = cache["A1"][:, 0]
    dW1, db1 = hl.hidden_layer_gradients(params, X, y)
    for j in range(2):
        for k in range(3):
            expected = delta * params["W2"][0, j] * sig[j] * (1 - sig[j]) * X[k, 0]
            assert dW1[j, k] == pytest.approx(expected, rel=1e-12)
        assert db1[j, 0] == pytest.approx(delta * params["W2"][0, j] * sig[j] * (1 - sig[j]),
                                          rel=1e-12)
    # the slip's h'(z^(2)) (z^(2) = y_hat) gives a different number
    s2 = 1 / (1 + np.exp(-cache["y_hat"][0, 0]))
    slip = delta * params["W2"][0, 0] * s2 * (1 - s2) * X[0, 0]
    assert not np.isclose(slip, dW1[0, 0])


# --- update steps -------------------------------------------------------------------------------

def test_does_hidden_gd_step_subtract_lr_times_the_gradient_without_touching_its_inputs():
    """Is the GD step theta - lr * dJ/dtheta, with params, X and y left unchanged (000-12)?"""
    params, X, y = example_network()
    before = {k: v.copy() for k, v in params.items()}
    X_before, y_before = X.copy(), y.copy()
    grads = hl.hidden_backward(params, X, y, "tanh")
    new = hl.hidden_gd_step(params, X, y, 0.3, "tanh")
    for name in PARAM_NAMES:
        np.testing.assert_allclose(new[name], before[name] - 0.3 * grads["d" + name], rtol=1e-14)
        np.testing.assert_array_equal(params[name], before[name])
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_is_the_sgd_step_the_gd_step_on_one_column():
    """Is an SGD step the gradient step computed from one observation only (000-11)?"""
    params, X, y = example_network(n=4)
    before = {k: v.copy() for k, v in params.items()}
    new = hl.hidden_sgd_step(params, X[:, [2]], y[:, [2]], 0.5)
    grads = hl.hidden_backward(params, X[:, [2]], y[:, [2]])
    for name in PARAM_NAMES:
        np.testing.assert_allclose(new[name], before[name] - 0.5 * grads["d" + name], rtol=1e-14)
        np.testing.assert_array_equal(params[name], before[name])


def test_does_hidden_sgd_step_refuse_a_batch():
    """Does hidden_sgd_step say so when it is given more than one observation?"""
    params, X, y = example_network(n=4)
    with pytest.raises(ValueError, match=r"\(p, 1\)"):
        hl.hidden_sgd_step(params, X, y, 0.1)


def test_does_a_small_gd_step_lower_the_cost():
    """Does one small gradient-descent step decrease the cost?"""
    params, X, y = example_network(n=8)
    new = hl.hidden_gd_step(params, X, y, 1e-2)
    assert hl.hidden_cost(new, X, y) < hl.hidden_cost(params, X, y)


# --- a weight shared by several units (000-15) ------------------------------------------------

@SETTINGS
@given(tied_networks())
def test_does_the_tied_gradient_agree_with_autograd_and_finite_differences(case):
    """Is tied_weight_gradient dJ/dw, by autograd (< 1e-10) and by finite differences (< 1e-7)?"""
    w, c, v, b, x, y, activation = case
    ours = hl.tied_weight_gradient(w, c, v, b, x, y, activation)
    assert isinstance(ours, float)
    oracle = autograd.grad(oracle_tied_cost, 0)(w, c, v, b, x, y, activation)
    assert_oracle_close(ours, oracle, f"dJ/dw ({activation})")
    report = gradient_check(
        lambda p: hl.tied_weight_cost(p["w"], c, v, b, x, y, activation), {"w": np.array(w)},
        {"w": np.array(ours)})
    assert report.passed, str(report)


@SETTINGS
@given(tied_networks())
def test_is_each_path_term_the_gradient_through_that_unit_alone(case):
    """Is path term j the derivative of the cost when only unit j's copy of w moves?"""
    w, c, v, b, x, y, activation = case
    terms = hl.tied_weight_path_terms(w, c, v, b, x, y, activation)
    assert terms.shape == c.shape

    def untied_cost(ws):  # unit j gets its own weight ws[j]
        y_hat = b + sum(v[j] * _oracle_activation(activation, ws[j] * x + c[j])
                        for j in range(len(c)))
        return anp.mean(0.5 * (y_hat - y) ** 2)

    assert_oracle_close(terms, autograd.grad(untied_cost)(np.full(len(c), w)), "path terms")
    assert hl.tied_weight_gradient(w, c, v, b, x, y, activation) == pytest.approx(
        float(np.sum(terms)), rel=1e-14, abs=1e-300)


def test_is_the_tied_network_a_hidden_layer_network_with_equal_weights():
    """Does the tied network equal a p = 1 hidden layer with W1 = w * ones, and dJ/dw = sum dW1?"""
    rng = np.random.default_rng(3)
    w, c, v, b = 0.7, rng.normal(size=3), rng.normal(size=3), -0.4
    x, y = rng.normal(size=5), rng.normal(size=5)
    params = {"W1": np.full((3, 1), w), "b1": c[:, None], "W2": v[None, :], "b2": np.array([[b]])}
    tied = hl.tied_weight_forward(w, c, v, b, x)
    np.testing.assert_allclose(tied["y_hat"], hl.hidden_forward(params, x[None, :])["y_hat"][0],
                               rtol=1e-14)
    dW1, _ = hl.hidden_layer_gradients(params, x[None, :], y[None, :])
    np.testing.assert_allclose(hl.tied_weight_path_terms(w, c, v, b, x, y), dW1[:, 0], rtol=1e-12)
    assert hl.tied_weight_gradient(w, c, v, b, x, y) == pytest.approx(dW1.sum(), rel=1e-12)
    assert hl.tied_weight_cost(w, c, v, b, x, y) == pytest.approx(
        hl.hidden_cost(params, x[None, :], y[None, :]), rel=1e-14)


def test_does_one_path_alone_miss_the_gradient():
    """With two units, is a single path's term different from dJ/dw (the single_path mistake)?"""
    w, c, v, b = 0.5, np.array([0.3, -0.8]), np.array([1.2, 0.9]), 0.1
    x, y = np.array([-1.0, 0.4, 1.5]), np.array([0.2, -0.3, 0.8])
    terms = hl.tied_weight_path_terms(w, c, v, b, x, y)
    total = hl.tied_weight_gradient(w, c, v, b, x, y)
    assert not np.isclose(terms[0], total) and not np.isclose(terms[1], total)
