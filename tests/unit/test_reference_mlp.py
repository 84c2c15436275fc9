"""Oracle tests of autograder.reference.mlp (lesson 05, seed 001).

Every gradient is computed twice more: by numerical differences (autograder.gradcheck, relative
error < 1e-7) and by ``autograd`` differentiating an independent forward pass and cost written
below with ``autograd.numpy`` (relative error < 1e-10), over random depths (1-4), widths (1-6),
activations (ReLU kept away from its kink) and both losses.
"""
from itertools import combinations
from math import ceil, comb

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograder.activations import get_activation
from autograder.gradcheck import gradient_check
from autograder.reference import mlp

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
#: |Z| below this in a ReLU layer counts as "at the kink": finite differences with steps of
#: 1e-3 would straddle it.
KINK_MARGIN = 0.02


# --------------------------------------------------------------------------------------------
# The independent oracle: forward pass and cost in autograd.numpy, written from the definitions
# --------------------------------------------------------------------------------------------
def ag_activation(name, z):
    if name == "sigmoid":
        return 0.5 * (anp.tanh(0.5 * z) + 1.0)  # = 1 / (1 + e^-z), no overflow
    if name == "tanh":
        return anp.tanh(z)
    if name == "relu":
        return anp.where(z > 0, z, 0.0)
    if name == "identity":
        return z
    raise ValueError(name)


def ag_forward(params, X, activations):
    F, Z = X, None
    for j, name in enumerate(activations, start=1):
        Z = anp.dot(params[f"W{j}"], F) + params[f"b{j}"]
        F = ag_activation(name, Z)
    return F, Z


def ag_cost(params, X, Y, activations, loss):
    F, Z = ag_forward(params, X, activations)
    if loss == "bce":
        per_example = anp.sum(anp.logaddexp(0.0, Z) - Y * Z, axis=0)
    else:
        per_example = 0.5 * anp.sum((F - Y) ** 2, axis=0)
    return anp.mean(per_example)


def relative(a, b):
    """Norm-wise relative difference of two arrays (0 when both are 0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def assert_grads_equal(grads, expected, tol):
    assert list(grads) == list(expected)
    for key in expected:
        assert grads[key].shape == np.shape(expected[key]), key
        assert relative(grads[key], expected[key]) < tol, (key, grads[key], expected[key])


def autograd_gradients(params, X, Y, activations, loss):
    g = autograd.grad(ag_cost)(params, X, Y, activations, loss)
    return {f"d{k}": g[k] for k in params}


# --------------------------------------------------------------------------------------------
# Random networks
# --------------------------------------------------------------------------------------------
@st.composite
def networks(draw, max_depth=4, scalar_output=False, losses=mlp.LOSSES):
    """A random network, data and loss: (params, X, Y, activations, loss)."""
    depth = draw(st.integers(1, max_depth))
    sizes = [draw(st.integers(1, 6)) for _ in range(depth + 1)]
    if scalar_output:
        sizes[-1] = 1
    n_samples = draw(st.integers(1, 4))
    loss = draw(st.sampled_from(losses))
    activations = [draw(st.sampled_from(ACTIVATIONS)) for _ in range(depth)]
    if loss == "bce":
        activations[-1] = "sigmoid"
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = {}
    for j in range(1, depth + 1):
        params[f"W{j}"] = rng.normal(0.0, 1.0, (sizes[j], sizes[j - 1]))
        params[f"b{j}"] = rng.normal(0.0, 0.5, (sizes[j], 1))
    X = rng.normal(0.0, 1.0, (sizes[0], n_samples))
    if loss == "bce":
        Y = rng.integers(0, 2, (sizes[-1], n_samples)).astype(np.float64)
    else:
        Y = rng.normal(0.0, 1.0, (sizes[-1], n_samples))
    _, cache = mlp.mlp_forward(params, X, activations)
    for j, name in enumerate(activations, start=1):
        if name == "relu":
            assume(np.min(np.abs(cache[f"Z{j}"])) > KINK_MARGIN)
    return params, X, Y, activations, loss


# --------------------------------------------------------------------------------------------
# init_mlp
# --------------------------------------------------------------------------------------------
def test_does_init_mlp_give_every_layer_its_shapes():
    """Are W_j (n_j, n_{j-1}) and b_j (n_j, 1), in layer order, all float64?"""
    params = mlp.init_mlp([5, 4, 3, 2])
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [params[k].shape for k in params] == [(4, 5), (4, 1), (3, 4), (3, 1), (2, 3), (2, 1)]
    assert all(v.dtype == np.float64 for v in params.values())


def test_is_init_mlp_seeded():
    """Does the same seed give the same parameters, and another seed other ones?"""
    a, b, c = mlp.init_mlp([3, 4, 1], seed=7), mlp.init_mlp([3, 4, 1], seed=7), \
        mlp.init_mlp([3, 4, 1], seed=8)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["W1"], c["W1"])


def test_does_init_mlp_scale_weights_by_fan_in():
    """Is the default weight std 1/sqrt(n_in), biases zero, and is `scale` obeyed?"""
    params = mlp.init_mlp([400, 300, 2], seed=1)
    assert abs(params["W1"].std() * np.sqrt(400) - 1.0) < 0.02
    assert not params["b1"].any() and not params["b2"].any()
    scaled = mlp.init_mlp([400, 300], seed=1, scale=0.5)
    assert abs(scaled["W1"].std() - 0.5) < 0.01


def test_does_init_mlp_refuse_nonsense_sizes():
    """Are fewer than two sizes or a zero width refused?"""
    with pytest.raises(ValueError):
        mlp.init_mlp([3])
    with pytest.raises(ValueError):
        mlp.init_mlp([3, 0, 1])


# --------------------------------------------------------------------------------------------
# Forward pass and cost (001-1, 001-5)
# --------------------------------------------------------------------------------------------
@SETTINGS
@given(networks())
def test_does_the_forward_cache_hold_z_f_and_sigma_prime(case):
    """Does the cache hold F0 = X and, per layer, Z = W F + b, F = sigma(Z), J = sigma'(Z)?"""
    params, X, Y, activations, loss = case
    output, cache = mlp.mlp_forward(params, X, activations)
    L = len(activations)
    assert sorted(cache) == sorted(["F0"] + [f"{s}{j}" for j in range(1, L + 1) for s in "ZFJ"])
    np.testing.assert_array_equal(cache["F0"], X)
    for j, name in enumerate(activations, start=1):
        act = get_activation(name)
        Z = params[f"W{j}"] @ cache[f"F{j - 1}"] + params[f"b{j}"]
        np.testing.assert_allclose(cache[f"Z{j}"], Z, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(cache[f"F{j}"], act.f(Z), rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(cache[f"J{j}"], act.df(Z), rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(output, cache[f"F{L}"])
    np.testing.assert_allclose(output, ag_forward(params, X, activations)[0], rtol=1e-12,
                               atol=1e-14)


@SETTINGS
@given(networks())
def test_is_the_cost_the_independent_empirical_risk(case):
    """Does mlp_cost equal 1/n sum_i l(y_i, F(x_i)) computed independently?"""
    params, X, Y, activations, loss = case
    cost = mlp.mlp_cost(params, X, Y, activations, loss)
    assert isinstance(cost, float)
    assert relative(cost, ag_cost(params, X, Y, activations, loss)) < 1e-12


def test_is_the_cost_a_mean_over_the_batch():
    """Does repeating every example twice leave the cost unchanged (a mean, not a sum)?"""
    rng = np.random.default_rng(3)
    params = mlp.init_mlp([3, 4, 2], seed=3)
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(2, 5))
    acts = ["tanh", "identity"]
    once = mlp.mlp_cost(params, X, Y, acts, "squared_error")
    twice = mlp.mlp_cost(params, np.hstack([X, X]), np.hstack([Y, Y]), acts, "squared_error")
    assert np.isclose(once, twice, rtol=1e-14)
    per = mlp.per_example_loss(params, X, Y, acts, "squared_error")
    assert per.shape == (5,) and np.isclose(once, per.mean(), rtol=1e-14)


def test_is_the_cross_entropy_computed_stably_from_the_logit():
    """With logits of +-800 is the bce cost finite, warning-free and equal to |z| when wrong?"""
    params = {"W1": np.array([[800.0]]), "b1": np.zeros((1, 1))}
    X = np.array([[1.0, -1.0, 1.0, -1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])  # the first two are confidently wrong
    cost = mlp.mlp_cost(params, X, Y, ["sigmoid"], "bce")
    assert np.isclose(cost, (800.0 + 800.0 + 0.0 + 0.0) / 4, rtol=1e-14)
    grads = mlp.mlp_gradients(params, X, Y, ["sigmoid"], "bce")
    assert np.all(np.isfinite(grads["dW1"]))


def test_are_wrong_arguments_refused_with_a_message():
    """Are an unknown loss, bce without a sigmoid output, and a wrong activation count refused?"""
    params = mlp.init_mlp([2, 3, 1])
    X, Y = np.ones((2, 3)), np.ones((1, 3))
    with pytest.raises(ValueError, match="Unknown loss"):
        mlp.mlp_cost(params, X, Y, ["tanh", "sigmoid"], "hinge")
    with pytest.raises(ValueError, match="sigmoid"):
        mlp.mlp_cost(params, X, Y, ["tanh", "identity"], "bce")
    with pytest.raises(ValueError, match="one activation per layer"):
        mlp.mlp_forward(params, X, ["tanh"])


# --------------------------------------------------------------------------------------------
# Backward pass (001-2, 001-8)
# --------------------------------------------------------------------------------------------
@SETTINGS
@given(networks())
def test_does_backprop_agree_with_autograd(case):
    """Does mlp_gradients equal autograd's gradient of the independent cost (rel. < 1e-10)?"""
    params, X, Y, activations, loss = case
    grads = mlp.mlp_gradients(params, X, Y, activations, loss)
    assert_grads_equal(grads, autograd_gradients(params, X, Y, activations, loss), 1e-10)


@SETTINGS
@given(networks())
def test_does_backprop_pass_the_gradient_check(case):
    """Does every parameter's gradient pass the numerical check (rel. error < 1e-7)?"""
    params, X, Y, activations, loss = case
    grads = mlp.mlp_gradients(params, X, Y, activations, loss)
    report = gradient_check(lambda p: mlp.mlp_cost(p, X, Y, activations, loss), params, grads)
    assert report.passed, str(report)


@SETTINGS
@given(networks())
def test_is_the_batch_gradient_the_mean_of_per_example_gradients(case):
    """Is the gradient of the average the average of the one-example gradients (001-2)?"""
    params, X, Y, activations, loss = case
    full = mlp.mlp_gradients(params, X, Y, activations, loss)
    per_example = [mlp.mlp_gradients(params, X[:, [i]], Y[:, [i]], activations, loss)
                   for i in range(X.shape[1])]
    mean = {k: np.mean([g[k] for g in per_example], axis=0) for k in full}
    assert_grads_equal(full, mean, 1e-12)


def test_is_the_bce_output_delta_a_minus_y():
    """For a sigmoid output with bce, is dW of a one-layer net (F - Y) X^T / n?"""
    rng = np.random.default_rng(5)
    params = {"W1": rng.normal(size=(2, 3)), "b1": rng.normal(size=(2, 1))}
    X, Y = rng.normal(size=(3, 4)), rng.integers(0, 2, (2, 4)).astype(float)
    F, cache = mlp.mlp_forward(params, X, ["sigmoid"])
    grads = mlp.mlp_backward(params, cache, Y, ["sigmoid"], "bce")
    np.testing.assert_allclose(grads["dW1"], (F - Y) @ X.T / 4, rtol=1e-14)
    np.testing.assert_allclose(grads["db1"], (F - Y).mean(axis=1, keepdims=True), rtol=1e-14)


def test_does_layer_backward_follow_the_delta_recursion():
    """Is delta_prev = (W^T delta) * J_prev, and None for the first layer?"""
    rng = np.random.default_rng(6)
    delta, W = rng.normal(size=(3, 5)), rng.normal(size=(3, 4))
    F_prev, J_prev = rng.normal(size=(4, 5)), rng.uniform(0.1, 1.0, (4, 5))
    dW, db, delta_prev = mlp.layer_backward(delta, W, F_prev, J_prev)
    np.testing.assert_allclose(dW, sum(np.outer(delta[:, i], F_prev[:, i]) for i in range(5)) / 5,
                               rtol=1e-13)
    np.testing.assert_allclose(db[:, 0], delta.mean(axis=1), rtol=1e-13)
    np.testing.assert_allclose(delta_prev, (W.T @ delta) * J_prev, rtol=1e-13)
    assert mlp.layer_backward(delta, W, F_prev, None)[2] is None


def test_does_backprop_leave_its_inputs_alone():
    """Are params, cache and Y unchanged by mlp_backward?"""
    params = mlp.init_mlp([3, 4, 2], seed=2)
    X, Y = np.ones((3, 2)), np.zeros((2, 2))
    _, cache = mlp.mlp_forward(params, X, ["tanh", "sigmoid"])
    before = {k: v.copy() for k, v in {**params, **cache}.items()}
    mlp.mlp_backward(params, cache, Y, ["tanh", "sigmoid"], "bce")
    assert all(np.array_equal(before[k], {**params, **cache}[k]) for k in before)


# --------------------------------------------------------------------------------------------
# Jacobians (001-6, 001-7, 001-8, 001-9) and the absorbed loss (001-3)
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_is_the_activation_jacobian_diagonal_and_right(name):
    """Is elementwise_jacobian(z) autograd's Jacobian of sigma at z, a diagonal matrix?"""
    z = np.array([-1.7, -0.4, 0.3, 1.1, 2.5])
    J = mlp.elementwise_jacobian(z, name)
    assert J.shape == (5, 5)
    assert not (J - np.diag(np.diag(J))).any()
    oracle = autograd.jacobian(lambda v: ag_activation(name, v))(z)
    np.testing.assert_allclose(J, oracle, rtol=1e-13, atol=1e-15)


def test_is_grad_w_of_f_wa_equal_to_j_transpose_a_transpose():
    """For scalar f, is grad_W f(W a) = J^T a^T with J the (1, k) Jacobian of f (001-7)?"""
    rng = np.random.default_rng(7)
    W, a = rng.normal(size=(4, 3)), rng.normal(size=3)

    def f(r):
        return anp.sum(anp.tanh(r) * anp.arange(1.0, 5.0))

    J = autograd.jacobian(f)(W @ a).reshape(1, -1)
    oracle = autograd.grad(lambda M: f(anp.dot(M, a)))(W)
    np.testing.assert_allclose(J.T @ a.reshape(1, -1), oracle, rtol=1e-13)


@SETTINGS
@given(networks(scalar_output=True, losses=("squared_error",)))
def test_do_the_jacobian_formulas_give_the_gradient_of_a_scalar_output(case):
    """Is (J_L W_L ... J_j)^T F_{j-1}^T autograd's and the numerical dF_L/dW_j (and db_j)?"""
    params, X, _, activations, _ = case
    x = X[:, 0]
    grads = mlp.jacobian_chain_gradients(params, x, activations)
    g = autograd.grad(lambda p: anp.sum(ag_forward(p, x.reshape(-1, 1), activations)[0]))(params)
    assert_grads_equal(grads, {f"d{k}": g[k] for k in params}, 1e-10)
    output = (lambda p: mlp.mlp_forward(p, x.reshape(-1, 1), activations)[0][0, 0])
    report = gradient_check(output, params, grads)
    assert report.passed, str(report)


@SETTINGS
@given(networks(scalar_output=True, losses=("squared_error",)))
def test_do_the_jacobian_formulas_equal_the_delta_backward(case):
    """For a scalar output, is the Jacobian-product gradient the delta backward's, with
    delta_L = J_L (and mlp_backward with target F_L - 1, whose dl/dF_L is 1)?"""
    params, X, _, activations, _ = case
    x = X[:, :1]
    F_L, cache = mlp.mlp_forward(params, x, activations)
    by_jacobians = mlp.jacobian_chain_gradients(params, x[:, 0], activations)
    L = len(activations)
    assert_grads_equal(mlp.backward_from_delta(params, cache, cache[f"J{L}"]), by_jacobians, 1e-12)
    via_loss = mlp.mlp_backward(params, cache, F_L - 1.0, activations, "squared_error")
    assert_grads_equal(via_loss, by_jacobians, 1e-12)


def test_does_jacobian_backward_refuse_a_vector_output():
    """Does a J_L with more than one row (a vector output) raise, pointing at the loss?"""
    params = mlp.init_mlp([3, 2])
    layer_inputs, jacobians, _ = mlp.jacobian_forward(params, np.ones(3), ["tanh"])
    with pytest.raises(ValueError, match="scalar"):
        mlp.jacobian_backward(params, layer_inputs, jacobians)
    with pytest.raises(ValueError, match="scalar"):
        mlp.message_passing_backward(params, np.ones(3), ["tanh"])


@SETTINGS
@given(networks())
def test_is_the_absorbed_loss_map_the_loss_with_its_jacobian(case):
    """Does the absorbed map return l(y, sigma_L(z)) and autograd's (1, n_L) Jacobian of it?"""
    params, X, Y, activations, loss = case
    _, cache = mlp.mlp_forward(params, X[:, :1], activations)
    z, y = cache[f"Z{len(activations)}"][:, 0], Y[:, 0]
    loss_map = mlp.absorbed_loss_map(y, loss, activations[-1])
    value = loss_map.f(z)
    assert value.shape == (1,)
    expected = mlp.per_example_loss(params, X[:, :1], Y[:, :1], activations, loss)
    assert relative(value, expected) < 1e-13
    last = activations[-1]

    def oracle(v):
        if loss == "bce":
            return anp.sum(anp.logaddexp(0.0, v) - y * v)
        return 0.5 * anp.sum((ag_activation(last, v) - y) ** 2)

    J = loss_map.jacobian(z)
    assert J.shape == (1, z.size)
    assert relative(J[0], autograd.grad(oracle)(z)) < 1e-10


@SETTINGS
@given(networks())
def test_does_the_absorbed_network_differentiate_to_backprop(case):
    """Is the gradient of the loss-as-last-activation network mlp_backward's, per example,
    and autograd's and the numerical one?"""
    params, X, Y, activations, loss = case
    for i in range(X.shape[1]):
        by_absorption = mlp.absorbed_loss_gradients(params, X[:, i], Y[:, i], activations, loss)
        by_backprop = mlp.mlp_gradients(params, X[:, [i]], Y[:, [i]], activations, loss)
        assert_grads_equal(by_absorption, by_backprop, 1e-12)
    x, y = X[:, 0], Y[:, 0]
    oracle = autograd_gradients(params, x.reshape(-1, 1), y.reshape(-1, 1), activations, loss)
    by_absorption = mlp.absorbed_loss_gradients(params, x, y, activations, loss)
    assert_grads_equal(by_absorption, oracle, 1e-10)
    report = gradient_check(lambda p: mlp.mlp_cost(p, x.reshape(-1, 1), y.reshape(-1, 1),
                                                   activations, loss), params, by_absorption)
    assert report.passed, str(report)


# --------------------------------------------------------------------------------------------
# O(V + E) (001-4)
# --------------------------------------------------------------------------------------------
def test_does_graph_size_count_units_and_weights():
    """Is (V, E) = (sum of widths, sum of n_j n_{j-1})?"""
    assert mlp.graph_size([3, 4, 2, 1]) == (10, 12 + 8 + 2)


@SETTINGS
@given(networks(scalar_output=True, losses=("squared_error",)))
def test_does_message_passing_count_what_the_formula_says(case):
    """Does node-by-node backprop give the Jacobian gradients with 2E - n0 n1 + V - n0 products?"""
    params, X, _, activations, _ = case
    grads, count = mlp.message_passing_backward(params, X[:, 0], activations)
    assert_grads_equal(grads, mlp.jacobian_chain_gradients(params, X[:, 0], activations), 1e-12)
    sizes = [params["W1"].shape[1]] + [params[f"W{j}"].shape[0]
                                       for j in range(1, len(activations) + 1)]
    assert count == mlp.backward_operation_count(sizes)


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_is_the_backward_cost_linear_in_the_graph_size(depth):
    """Is E <= count <= 2E + V for growing widths, while numerical gradients cost E times more?"""
    for width in (2, 4, 8, 16, 32, 64):
        sizes = [width] * depth + [1]
        V, E = mlp.graph_size(sizes)
        count = mlp.backward_operation_count(sizes)
        assert E <= count <= 2 * E + V <= 2 * (V + E)
        # centred differences: two forward passes per parameter, so quadratic in the graph size
        n_params = E + V - sizes[0]
        numerical = 2 * n_params * mlp.forward_operation_count(sizes)
        assert numerical >= E * count


# --------------------------------------------------------------------------------------------
# Mini-batches (001-10) and SGD (001-11)
# --------------------------------------------------------------------------------------------
def small_problem(n=6, seed=11):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=(3, 1)),
              "W2": rng.normal(size=(1, 3)), "b2": rng.normal(size=(1, 1))}
    X = rng.normal(size=(2, n))
    Y = rng.integers(0, 2, (1, n)).astype(float)
    return params, X, Y, ["tanh", "sigmoid"], "bce"


def test_is_a_full_size_minibatch_the_full_gradient():
    """With batch_size = n (no replacement: every example once) is it the full gradient?"""
    params, X, Y, acts, loss = small_problem()
    full = mlp.mlp_gradients(params, X, Y, acts, loss)
    batch = mlp.minibatch_gradient(params, X, Y, acts, loss, 6, np.random.default_rng(0))
    assert_grads_equal(batch, full, 1e-13)


def test_does_sample_minibatch_draw_distinct_indices_with_rng_choice():
    """Are the indices rng.choice(n, b, replace=False): distinct, in range, reproducible?"""
    idx = mlp.sample_minibatch(10, 7, np.random.default_rng(4))
    np.testing.assert_array_equal(idx, np.random.default_rng(4).choice(10, 7, replace=False))
    assert len(set(idx.tolist())) == 7 and idx.min() >= 0 and idx.max() < 10
    for bad in (0, 11):
        with pytest.raises(ValueError):
            mlp.sample_minibatch(10, bad, np.random.default_rng(0))


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5])
def test_is_the_minibatch_gradient_exactly_unbiased(batch_size):
    """Averaged over ALL equally likely batches, is the batch gradient the full gradient?"""
    params, X, Y, acts, loss = small_problem()
    full = mlp.mlp_gradients(params, X, Y, acts, loss)
    batches = [list(c) for c in combinations(range(6), batch_size)]
    assert len(batches) == comb(6, batch_size)
    grads = [mlp.mlp_gradients(params, X[:, b], Y[:, b], acts, loss) for b in batches]
    mean = {k: np.mean([g[k] for g in grads], axis=0) for k in full}
    assert_grads_equal(mean, full, 1e-12)


def test_does_the_average_of_random_minibatch_gradients_approach_the_full_gradient():
    """Over 3000 seeded draws, is the mean within 5 standard errors of the full gradient?"""
    params, X, Y, acts, loss = small_problem(n=30)
    full = mlp.mlp_gradients(params, X, Y, acts, loss)
    rng = np.random.default_rng(2024)
    draws = [mlp.minibatch_gradient(params, X, Y, acts, loss, 4, rng) for _ in range(3000)]
    for k in full:
        stack = np.array([d[k] for d in draws])
        standard_error = stack.std(axis=0) / np.sqrt(len(draws))
        assert np.all(np.abs(stack.mean(axis=0) - full[k]) <= 5 * standard_error + 1e-12), k
    # and a single batch is genuinely noisy
    assert relative(draws[0]["dW1"], full["dW1"]) > 1e-3


def test_does_the_minibatch_variance_shrink_as_predicted():
    """Is Var(batch mean) = s^2/b * (1 - b/n) exactly (over all batches), falling to 0 at b = n?"""
    params, X, Y, acts, loss = small_problem(n=7)
    n = 7
    per_example = np.array([mlp.mlp_gradients(params, X[:, [i]], Y[:, [i]], acts, loss)["dW1"]
                            for i in range(n)])
    s2 = per_example.var(axis=0, ddof=1)
    variances = []
    for b in range(1, n + 1):
        means = np.array([per_example[list(c)].mean(axis=0) for c in combinations(range(n), b)])
        predicted = s2 / b * (1.0 - b / n)  # s2: sample variance (ddof=1)
        np.testing.assert_allclose(means.var(axis=0), predicted, rtol=1e-10, atol=1e-15)
        variances.append(means.var(axis=0).sum())
    assert all(b < a for a, b in zip(variances, variances[1:-1]))
    assert variances[-1] < 1e-25


def test_is_an_epoch_of_one_full_batch_one_gradient_step():
    """With batch_size = n, is sgd_epoch one full-gradient step?"""
    params, X, Y, acts, loss = small_problem()
    grads = mlp.mlp_gradients(params, X, Y, acts, loss)
    new = mlp.sgd_epoch(params, X, Y, acts, loss, 0.3, 6, np.random.default_rng(1))
    for k in params:
        np.testing.assert_allclose(new[k], params[k] - 0.3 * grads["d" + k], rtol=1e-14)


@pytest.mark.parametrize("batch_size", [1, 4, 5])
def test_does_an_epoch_step_through_the_shuffled_batches_in_order(batch_size):
    """Is sgd_epoch ceil(n/b) steps over rng.permutation(n) cut into consecutive batches?"""
    params, X, Y, acts, loss = small_problem(n=10)
    before = {k: v.copy() for k, v in params.items()}
    new = mlp.sgd_epoch(params, X, Y, acts, loss, 0.1, batch_size, np.random.default_rng(9))
    assert all(np.array_equal(before[k], params[k]) for k in params)  # inputs untouched
    order = np.random.default_rng(9).permutation(10)
    expected, steps = dict(params), 0
    for start in range(0, 10, batch_size):
        batch = order[start:start + batch_size]
        g = autograd_gradients(expected, X[:, batch], Y[:, batch], acts, loss)
        expected = {k: expected[k] - 0.1 * g["d" + k] for k in expected}
        steps += 1
    assert steps == ceil(10 / batch_size)
    assert_grads_equal(new, expected, 1e-10)


def test_does_minibatch_sgd_learn_digits_and_record_its_history():
    """On digits 3 vs 8, does the seeded cost history fall and the accuracy exceed 90%?"""
    from autograder.datasets import load_digits

    X, labels = load_digits(digits=(3, 8))
    Y = (labels == 8).astype(float).reshape(1, -1)
    acts = ["tanh", "sigmoid"]
    start = mlp.init_mlp([64, 8, 1], seed=0)
    params, history = mlp.minibatch_sgd(start, X, Y, acts, "bce", 0.5, 32, 10, seed=0)
    again, history_again = mlp.minibatch_sgd(start, X, Y, acts, "bce", 0.5, 32, 10, seed=0)
    np.testing.assert_array_equal(history, history_again)
    assert history.shape == (11,)
    assert np.isclose(history[0], mlp.mlp_cost(start, X, Y, acts, "bce"))
    assert history[-1] < history[0] / 3
    accuracy = np.mean((mlp.mlp_forward(params, X, acts)[0] > 0.5) == (Y > 0.5))
    assert accuracy > 0.9
