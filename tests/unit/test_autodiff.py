"""autograder.autodiff: lesson 6's gradients, by reverse mode on whole arrays, against the oracle.

Lesson 6 trains with these gradients instead of showing lesson 5's backpropagation, so they must
be lesson 5's numbers: checked against the reference backpropagation (itself checked by finite
differences in test_reference_mlp.py) and against centred differences, for every activation and
both losses, on networks of several depths and batch sizes.
"""
import numpy as np
import pytest

from autograder.autodiff import Node, activation, constant, gradients, softplus, total
from autograder.gradcheck import numerical_gradient, relative_error
from autograder.reference.mlp import init_mlp, mlp_cost, mlp_gradients


def cost_node(params, X, Y, activations, loss):
    """The cost lesson 6 writes (course/source/06_minibatch_sgd), on nodes."""
    F = X
    for j, name in enumerate(activations, start=1):
        Z = params[f"W{j}"] @ F + params[f"b{j}"]
        F = activation(name, Z)
    per_entry = softplus(Z) - Y * Z if loss == "bce" else 0.5 * (F - Y) * (F - Y)
    return total(per_entry) * (1.0 / X.shape[1])


CASES = [((3, 4, 2), ["tanh", "sigmoid"], 5), ((2, 5, 3, 1), ["relu", "tanh", "sigmoid"], 7),
         ((4, 1), ["sigmoid"], 1), ((3, 6, 6, 2), ["sigmoid", "relu", "identity"], 4)]


@pytest.mark.parametrize("loss", ["squared_error", "bce"])
@pytest.mark.parametrize("layers,activations,n", CASES)
def test_are_the_gradients_those_of_backpropagation(layers, activations, n, loss):
    if loss == "bce" and activations[-1] != "sigmoid":
        pytest.skip("the cross-entropy is defined for a sigmoid output")
    rng = np.random.default_rng(n)
    params = init_mlp(list(layers), seed=n)
    X = rng.normal(size=(layers[0], n))
    Y = (rng.random((layers[-1], n)) < 0.5).astype(float)
    before = {k: v.copy() for k, v in params.items()}
    ours = gradients(lambda p: cost_node(p, X, Y, activations, loss), params)
    oracle = mlp_gradients(params, X, Y, activations, loss)
    assert set(ours) == set(oracle)
    for key in oracle:
        assert ours[key].shape == oracle[key].shape and ours[key].dtype == np.float64
        assert np.max(relative_error(ours[key], oracle[key])) < 1e-10, key
    assert all(np.array_equal(params[k], before[k]) for k in params), "params were changed"
    cost = float(cost_node(params, X, Y, activations, loss).value)
    assert cost == pytest.approx(mlp_cost(params, X, Y, activations, loss), rel=1e-12)


def test_do_they_match_centred_differences():
    params = init_mlp([3, 4, 2], seed=1)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(3, 6)), (rng.random((2, 6)) < 0.5).astype(float)

    def cost(p):
        return float(cost_node(p, X, Y, ["tanh", "sigmoid"], "bce").value)

    numeric = numerical_gradient(cost, params)
    ours = gradients(lambda p: cost_node(p, X, Y, ["tanh", "sigmoid"], "bce"), params)
    for name in params:
        assert np.max(relative_error(ours[f"d{name}"], numeric[name])) < 1e-7, name


def test_is_a_broadcast_bias_summed_back_to_its_column():
    b = Node.variable(np.zeros((2, 1)))
    cost = total(b + np.ones((2, 5)))
    cost.backward()
    assert b.grad.shape == (2, 1) and np.all(b.grad == 5.0)


def test_does_a_node_used_twice_add_both_gradients():
    """x * x: the two paths to x add up (2x), the rule the ``Value`` engine of lesson 6 shows."""
    x = Node.variable(np.array([1.0, -3.0]))
    total(x * x).backward()
    assert np.array_equal(x.grad, [2.0, -6.0])


def test_does_data_take_no_gradient_and_numpy_arrays_combine_with_nodes():
    W = Node.variable(np.ones((2, 3)))
    X = constant(np.arange(12.0).reshape(3, 4))
    out = np.ones((1, 2)) @ (W @ X)          # an ndarray on the left hands over to the node
    assert isinstance(out, Node)
    total(out).backward()
    assert X.grad is None and not X.needs_grad
    assert np.array_equal(W.grad, np.ones((2, 1)) @ X.value.sum(axis=1, keepdims=True).T)


def test_does_softplus_stay_finite_for_huge_logits():
    z = Node.variable(np.array([-800.0, 0.0, 800.0]))
    value = softplus(z)
    total(value).backward()
    assert np.all(np.isfinite(value.value)) and value.value[2] == 800.0
    assert np.allclose(z.grad, [0.0, 0.5, 1.0])


def test_does_backward_refuse_a_cost_that_is_not_one_number():
    with pytest.raises(ValueError, match="scalar"):
        (Node.variable(np.ones(3)) * 2.0).backward()


def test_is_a_parameter_the_cost_does_not_use_given_a_zero_gradient():
    grads = gradients(lambda p: total(p["a"] * 3.0), {"a": np.ones(2), "unused": np.ones((2, 2))})
    assert np.array_equal(grads["da"], [3.0, 3.0])
    assert np.array_equal(grads["dunused"], np.zeros((2, 2)))
