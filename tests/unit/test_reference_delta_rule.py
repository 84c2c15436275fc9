"""Oracle tests of autograder.reference.delta_rule (seed 004, examples as rows).

Every gradient is computed twice more and compared: with finite differences
(autograder.gradcheck, relative error < 1e-7) and with an independent forward pass written here
in ``autograd.numpy`` and differentiated by ``autograd.grad`` (relative error < 1e-10).
"""
import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.activations import sigmoid
from autograder.gradcheck import gradient_check
from autograder.reference import delta_rule as dr

SETTINGS = settings(max_examples=30, deadline=None)
ORACLE_TOLERANCE = 1e-10


# ---------------------------------------------------------------- independent oracle (autograd)
def _sigmoid(a):
    # tanh form: no overflow for the moderate inputs used here, and not the package's code
    return 0.5 * (anp.tanh(0.5 * a) + 1.0)


def oracle_cost(params, x, t):
    """The 2-layer cost written from the seed's equations, independently of the reference."""
    w, b1, u, b2 = params
    h = _sigmoid(anp.dot(x, w) + b1)
    y = _sigmoid(anp.dot(h, u) + b2)
    per_example = 0.5 * anp.sum((y - t) ** 2, axis=1)
    return anp.mean(per_example)


def oracle_deep_cost(params, x, t):
    """Any-depth cost; ``params`` is the list ``[w_0, b_0, w_1, b_1, ...]``."""
    out = x
    for w, b in zip(params[0::2], params[1::2]):
        out = _sigmoid(anp.dot(out, w) + b)
    return anp.mean(0.5 * anp.sum((out - t) ** 2, axis=1))


def relative(a, b):
    """Norm-wise relative difference ``|a - b| / (|a| + |b|)`` (0 when both are 0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


# ---------------------------------------------------------------- inputs
@st.composite
def networks(draw, max_m=7, max_units=5):
    """A random two-layer network with data: sizes, values in sane ranges (no saturation)."""
    m = draw(st.integers(1, max_m))
    n_in, n_hid, n_out = (draw(st.integers(1, max_units)) for _ in range(3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return {
        "x": rng.normal(size=(m, n_in)),
        "t": rng.uniform(0.0, 1.0, size=(m, n_out)),
        "w": rng.normal(scale=0.8, size=(n_in, n_hid)),
        "b1": rng.normal(scale=0.5, size=n_hid),
        "u": rng.normal(scale=0.8, size=(n_hid, n_out)),
        "b2": rng.normal(scale=0.5, size=n_out),
    }


@st.composite
def deep_networks(draw):
    """A random network of 1 to 4 layers, sizes 1 to 5."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    m = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weights = [rng.normal(scale=0.8, size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(scale=0.5, size=b) for b in sizes[1:]]
    return {
        "x": rng.normal(size=(m, sizes[0])),
        "t": rng.uniform(0.0, 1.0, size=(m, sizes[-1])),
        "weights": weights,
        "biases": biases,
    }


def _params(net):
    return [net[k] for k in ("w", "b1", "u", "b2")]


def _seed_net(m=4, seed=0):
    """The seed's 2-3-2 network."""
    rng = np.random.default_rng(seed)
    return {
        "x": rng.normal(size=(m, 2)), "t": rng.uniform(size=(m, 2)),
        "w": rng.normal(size=(2, 3)), "b1": rng.normal(size=3),
        "u": rng.normal(size=(3, 2)), "b2": rng.normal(size=2),
    }


# ---------------------------------------------------------------- forward and cost
@SETTINGS
@given(networks())
def test_does_the_forward_pass_match_the_seeds_equations(net):
    """Is a1 = x w + b1, h = sigma(a1), a2 = h u + b2, y = sigma(a2), row by row (004-1)?"""
    out = dr.delta_forward(net["x"], net["w"], net["b1"], net["u"], net["b2"])
    for i, row in enumerate(net["x"]):  # one example at a time, with explicit sums
        a1 = np.array([sum(row[k] * net["w"][k, j] for k in range(row.size)) + net["b1"][j]
                       for j in range(net["w"].shape[1])])
        h = 1.0 / (1.0 + np.exp(-a1))
        a2 = np.array([sum(h[k] * net["u"][k, j] for k in range(h.size)) + net["b2"][j]
                       for j in range(net["u"].shape[1])])
        np.testing.assert_allclose(out["a1"][i], a1, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(out["h"][i], h, rtol=1e-12)
        np.testing.assert_allclose(out["a2"][i], a2, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(out["y"][i], 1.0 / (1.0 + np.exp(-a2)), rtol=1e-12)


@SETTINGS
@given(networks())
def test_are_rows_the_transpose_of_columns(net):
    """Does the rows forward pass equal the columns convention (W1 = w.T, X = x.T) transposed?"""
    out = dr.delta_forward(net["x"], net["w"], net["b1"], net["u"], net["b2"])
    X, W1, b1 = net["x"].T, net["w"].T, net["b1"][:, None]
    W2, b2 = net["u"].T, net["b2"][:, None]
    A1 = sigmoid(W1 @ X + b1)
    A2 = sigmoid(W2 @ A1 + b2)
    np.testing.assert_allclose(out["h"], A1.T, rtol=1e-13)
    np.testing.assert_allclose(out["y"], A2.T, rtol=1e-13)


@SETTINGS
@given(networks())
def test_is_the_cost_the_mean_of_the_per_example_l2_losses(net):
    """Is the batch cost the mean over rows of 1/2 sum_k (y_k - t_k)^2 (004-2)?"""
    cost = dr.delta_cost(net["x"], net["t"], *_params(net))
    assert isinstance(cost, float)
    assert cost == pytest.approx(float(oracle_cost(_params(net), net["x"], net["t"])), rel=1e-12)


def test_is_the_cost_of_a_batch_the_mean_of_its_examples_costs():
    """Is the cost of two examples the average of their single-example costs?"""
    net = _seed_net(m=2)
    single = [dr.delta_cost(net["x"][i:i + 1], net["t"][i:i + 1], *_params(net)) for i in (0, 1)]
    assert dr.delta_cost(net["x"], net["t"], *_params(net)) == pytest.approx(np.mean(single))


# ---------------------------------------------------------------- the pieces of the rule
@SETTINGS
@given(networks())
def test_is_the_output_delta_dL_da2_per_example(net):
    """Is output_delta the derivative of each example's loss with respect to its a2 (004-3)?"""
    fwd = dr.delta_forward(net["x"], *_params(net))

    def loss_sum_in_a2(a2):  # the sum of per-example losses: its gradient is per example
        return anp.sum(0.5 * (_sigmoid(a2) - net["t"]) ** 2)

    expected = grad(loss_sum_in_a2)(fwd["a2"])
    got = dr.output_delta(fwd["y"], net["t"])
    assert got.shape == fwd["y"].shape
    assert relative(got, expected) < ORACLE_TOLERANCE


def test_is_the_output_delta_the_seeds_formula_on_numbers():
    """Is output_delta (y - t) y (1 - y) on a hand-checkable case?"""
    y, t = np.array([[0.5, 0.8]]), np.array([[1.0, 0.0]])
    np.testing.assert_allclose(dr.output_delta(y, t), [[-0.125, 0.8 * 0.8 * 0.2]])


@SETTINGS
@given(networks())
def test_is_the_output_weight_gradient_the_mean_of_delta_j_h_i(net):
    """Is output_weight_gradient[i, j] the mean over examples of delta_j h_i (004-3)?"""
    fwd = dr.delta_forward(net["x"], *_params(net))
    delta = dr.output_delta(fwd["y"], net["t"])
    got = dr.output_weight_gradient(fwd["h"], delta)
    expected = np.mean(fwd["h"][:, :, None] * delta[:, None, :], axis=0)
    assert got.shape == net["u"].shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
    oracle = grad(lambda u: oracle_cost([net["w"], net["b1"], u, net["b2"]],
                                        net["x"], net["t"]))(net["u"])
    assert relative(got, oracle) < ORACLE_TOLERANCE


def test_does_one_output_update_step_move_against_the_gradient_and_lower_the_cost():
    """Is the update u - lr delta h (004-4), leaving u unchanged, and does a small step help?"""
    net = _seed_net(m=5)
    fwd = dr.delta_forward(net["x"], *_params(net))
    delta = dr.output_delta(fwd["y"], net["t"])
    u_before = net["u"].copy()
    new_u = dr.output_weight_update(net["u"], fwd["h"], delta, lr=0.5)
    np.testing.assert_array_equal(net["u"], u_before)
    np.testing.assert_allclose(new_u, net["u"] - 0.5 * dr.output_weight_gradient(fwd["h"], delta))
    before = dr.delta_cost(net["x"], net["t"], *_params(net))
    after = dr.delta_cost(net["x"], net["t"], net["w"], net["b1"], new_u, net["b2"])
    assert after < before


@SETTINGS
@given(networks())
def test_is_the_hidden_error_dL_dh_summed_over_all_outputs(net):
    """Is hidden_error dL/dh, with every output counted (004-5)?"""
    fwd = dr.delta_forward(net["x"], *_params(net))

    def loss_sum_in_h(h):
        y = _sigmoid(anp.dot(h, net["u"]) + net["b2"])
        return anp.sum(0.5 * (y - net["t"]) ** 2)

    got = dr.hidden_error(dr.output_delta(fwd["y"], net["t"]), net["u"])
    assert got.shape == fwd["h"].shape
    assert relative(got, grad(loss_sum_in_h)(fwd["h"])) < ORACLE_TOLERANCE


def test_does_the_hidden_error_need_every_output():
    """With two outputs, does dropping either output's term change dL/dh?"""
    net = _seed_net()
    fwd = dr.delta_forward(net["x"], *_params(net))
    delta = dr.output_delta(fwd["y"], net["t"])
    full = dr.hidden_error(delta, net["u"])
    one_path = [np.outer(delta[:, k], net["u"][:, k]) for k in (0, 1)]
    np.testing.assert_allclose(full, one_path[0] + one_path[1], rtol=1e-12)
    assert not np.allclose(full, one_path[0]) and not np.allclose(full, one_path[1])


@SETTINGS
@given(networks())
def test_is_the_hidden_delta_dL_da1(net):
    """Is hidden_delta the derivative of each example's loss with respect to its a1 (004-7)?"""
    fwd = dr.delta_forward(net["x"], *_params(net))

    def loss_sum_in_a1(a1):
        y = _sigmoid(anp.dot(_sigmoid(a1), net["u"]) + net["b2"])
        return anp.sum(0.5 * (y - net["t"]) ** 2)

    got = dr.hidden_delta(dr.output_delta(fwd["y"], net["t"]), net["u"], fwd["h"])
    assert got.shape == fwd["a1"].shape
    assert relative(got, grad(loss_sum_in_a1)(fwd["a1"])) < ORACLE_TOLERANCE


# ---------------------------------------------------------------- all gradients
@SETTINGS
@given(networks())
def test_do_the_delta_gradients_agree_with_autograd(net):
    """Do dw, db1, du, db2 equal autograd's gradients of an independent cost?"""
    got = dr.delta_gradients(net["x"], net["t"], *_params(net))
    assert list(got) == ["dw", "db1", "du", "db2"]
    for position, name in enumerate(("w", "b1", "u", "b2")):
        expected = grad(oracle_cost)(_params(net), net["x"], net["t"])[position]
        assert got["d" + name].shape == net[name].shape
        assert relative(got["d" + name], expected) < ORACLE_TOLERANCE, name


@settings(max_examples=15, deadline=None)
@given(networks(max_m=5, max_units=4))
def test_do_the_delta_gradients_pass_the_gradient_check(net):
    """Does every parameter pass autograder.gradcheck at 1e-7?"""
    x, t = net["x"], net["t"]
    params = {k: net[k] for k in ("w", "b1", "u", "b2")}
    report = gradient_check(lambda p: dr.delta_cost(x, t, p["w"], p["b1"], p["u"], p["b2"]),
                            params, dr.delta_gradients(x, t, *_params(net)))
    assert report.passed, str(report)


def test_does_delta_gradients_leave_its_arguments_unchanged():
    """Are the caller's arrays untouched by delta_gradients?"""
    net = _seed_net()
    copies = {k: v.copy() for k, v in net.items()}
    dr.delta_gradients(net["x"], net["t"], *_params(net))
    for k in net:
        np.testing.assert_array_equal(net[k], copies[k])


@SETTINGS
@given(networks(max_units=4), st.integers(0, 6))
def test_is_the_worked_dL_dw11_the_first_entry_of_dw(net, row):
    """Does the term-by-term dL/dw_11 of one example equal dw[0, 0] (004-6)?"""
    row = row % net["x"].shape[0]
    x, t = net["x"][row], net["t"][row]
    worked = dr.dL_dw11(x, t, *_params(net))
    batch_of_one = dr.delta_gradients(x[None, :], t[None, :], *_params(net))["dw"][0, 0]
    assert isinstance(worked, float)
    assert worked == pytest.approx(batch_of_one, rel=1e-12, abs=1e-15)
    oracle = grad(oracle_cost)(_params(net), x[None, :], t[None, :])[0][0, 0]
    assert abs(worked - oracle) <= ORACLE_TOLERANCE * (abs(worked) + abs(oracle)) + 1e-300


def test_is_dL_dw11_the_two_path_formula_of_the_seed():
    """On the 2-3-2 net, is dL/dw_11 = [d1 u11 + d2 u12] h1 (1 - h1) x1, written out by hand?"""
    net = _seed_net(m=1)
    x, t = net["x"][0], net["t"][0]
    h = sigmoid(x @ net["w"] + net["b1"])
    y = sigmoid(h @ net["u"] + net["b2"])
    d1 = (y[0] - t[0]) * y[0] * (1 - y[0])
    d2 = (y[1] - t[1]) * y[1] * (1 - y[1])
    expected = (d1 * net["u"][0, 0] + d2 * net["u"][0, 1]) * h[0] * (1 - h[0]) * x[0]
    assert dr.dL_dw11(x, t, *_params(net)) == pytest.approx(expected, rel=1e-13)


# ---------------------------------------------------------------- any depth
@SETTINGS
@given(deep_networks())
def test_does_the_generalised_backward_pass_agree_with_autograd(net):
    """For any depth and sizes, do the generalised-rule gradients equal autograd's (004-8)?"""
    dweights, dbiases = dr.generalised_backward(net["x"], net["t"], net["weights"],
                                                net["biases"])
    flat = [p for pair in zip(net["weights"], net["biases"]) for p in pair]
    expected = grad(oracle_deep_cost)(flat, net["x"], net["t"])
    assert len(dweights) == len(dbiases) == len(net["weights"])
    for layer, (dw, db) in enumerate(zip(dweights, dbiases)):
        assert dw.shape == net["weights"][layer].shape
        assert db.shape == net["biases"][layer].shape
        assert relative(dw, expected[2 * layer]) < ORACLE_TOLERANCE
        assert relative(db, expected[2 * layer + 1]) < ORACLE_TOLERANCE


@settings(max_examples=10, deadline=None)
@given(deep_networks())
def test_does_the_generalised_backward_pass_pass_the_gradient_check(net):
    """Does every layer's weight and bias pass autograder.gradcheck at 1e-7?"""
    n = len(net["weights"])
    params = {f"w{i}": w for i, w in enumerate(net["weights"])}
    params.update({f"b{i}": b for i, b in enumerate(net["biases"])})

    def cost(p):
        return dr.generalised_cost(net["x"], net["t"], [p[f"w{i}"] for i in range(n)],
                                   [p[f"b{i}"] for i in range(n)])

    dweights, dbiases = dr.generalised_backward(net["x"], net["t"], net["weights"],
                                                net["biases"])
    grads = {f"dw{i}": d for i, d in enumerate(dweights)}
    grads.update({f"db{i}": d for i, d in enumerate(dbiases)})
    report = gradient_check(cost, params, grads)
    assert report.passed, str(report)


@SETTINGS
@given(networks())
def test_is_the_two_layer_rule_the_generalised_rule_with_two_layers(net):
    """Does generalised_backward on [w, u] reproduce delta_gradients exactly?"""
    two = dr.delta_gradients(net["x"], net["t"], *_params(net))
    dweights, dbiases = dr.generalised_backward(net["x"], net["t"], [net["w"], net["u"]],
                                                [net["b1"], net["b2"]])
    np.testing.assert_allclose(dweights[0], two["dw"], rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(dbiases[0], two["db1"], rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(dweights[1], two["du"], rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(dbiases[1], two["db2"], rtol=1e-12, atol=1e-16)


def test_does_the_generalised_forward_return_every_layers_activation():
    """Does generalised_forward return [x, h_1, ..., y] with the right shapes?"""
    rng = np.random.default_rng(3)
    sizes = [3, 4, 5, 2]
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    acts = dr.generalised_forward(rng.normal(size=(6, 3)), weights, biases)
    assert [a.shape for a in acts] == [(6, n) for n in sizes]


def test_does_the_generalised_forward_refuse_mismatched_lists():
    """Are weights and biases of different lengths refused with a clear error?"""
    with pytest.raises(ValueError, match="same length"):
        dr.generalised_forward(np.ones((2, 2)), [np.ones((2, 2))], [])


def test_do_large_pre_activations_stay_finite_and_quiet():
    """With |a| in the hundreds (saturated units), are the gradients finite, with no warning?"""
    net = _seed_net()
    net["w"] = net["w"] * 400.0
    grads = dr.delta_gradients(net["x"], net["t"], *_params(net))
    assert all(np.all(np.isfinite(g)) for g in grads.values())
