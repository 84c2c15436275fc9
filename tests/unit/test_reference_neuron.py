"""Oracle tests of autograder.reference.neuron, the single neuron of lesson 1 (seed 000).

Every gradient is computed twice more: by finite differences (autograder.gradcheck) and by
automatic differentiation (autograd) of a forward pass written here from scratch.
"""
import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from autograder.activations import get_activation
from autograder.gradcheck import gradient_check
from autograder.reference import neuron as ref
from autograder.reference.update import gradient_step

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
ORACLE_RTOL = 1e-10
ORACLE_ATOL = 1e-14


# --- an independent forward pass, in autograd.numpy -------------------------------------------

def _oracle_activation(name, z):
    """The activations written differently from the package (sigmoid through tanh)."""
    if name == "sigmoid":
        return 0.5 * (anp.tanh(0.5 * z) + 1.0)
    if name == "tanh":
        return anp.tanh(z)
    if name == "relu":
        return anp.where(z > 0, z, 0.0 * z)
    return z


def _oracle_losses(w, b, x, y, name):
    """Per-example losses 1/2 (h(w x + b) - y)^2; w and b may be per-example arrays."""
    return 0.5 * (_oracle_activation(name, w * x + b) - y) ** 2


def _oracle_cost(w, b, x, y, name):
    return anp.mean(_oracle_losses(w, b, x, y, name))


def _oracle_example_gradients(w, b, x, y, name):
    """Per-example dL_i/dw and dL_i/db: give each example its own copy of w and b.

    With w_i = w for every i, d(sum_i L_i)/dw_i = dL_i/dw, so one gradient of the sum with
    respect to the vector of copies is the vector of per-example gradients.
    """
    ones = np.ones_like(x)
    dw = grad(lambda W: anp.sum(_oracle_losses(W, b, x, y, name)))(w * ones)
    db = grad(lambda B: anp.sum(_oracle_losses(w, B, x, y, name)))(b * ones)
    return dw, db


def _assert_oracle_close(actual, oracle):
    np.testing.assert_allclose(np.asarray(actual, dtype=np.float64), oracle,
                               rtol=ORACLE_RTOL, atol=ORACLE_ATOL)


# --- strategies -------------------------------------------------------------------------------

scalars = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
sizes = st.integers(1, 8)


@st.composite
def problems(draw, activations=st.sampled_from(ACTIVATIONS)):
    """A neuron (w, b, activation) and a batch (x, y) kept away from ReLU's kink."""
    n = draw(sizes)
    x = draw(arrays(np.float64, n, elements=scalars))
    y = draw(arrays(np.float64, n, elements=st.floats(0.0, 1.0)))
    w, b, name = draw(scalars), draw(scalars), draw(activations)
    if name == "relu":
        assume(np.all(np.abs(w * x + b) > 1e-3))
    return w, b, x, y, name


# --- forward ----------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(problems())
def test_does_the_forward_pass_compute_z_then_h_of_z(problem):
    """Is z = w x + b and a = h(z), with the shape of x (000-1)?"""
    w, b, x, _, name = problem
    z, a = ref.neuron_forward(w, b, x, name)
    assert z.shape == a.shape == x.shape
    np.testing.assert_allclose(z, w * x + b, rtol=1e-15, atol=0)
    _assert_oracle_close(a, _oracle_activation(name, w * x + b))


def test_does_one_observation_give_floats():
    """For a float x, are z, a, dw, db plain floats?"""
    outputs = ref.neuron_forward(0.5, -1.0, 2.0) + ref.neuron_example_gradients(0.5, -1.0, 2.0,
                                                                                 1.0)
    assert all(type(v) is float for v in outputs)
    assert outputs[0] == 0.0 and outputs[1] == 0.5


def test_is_the_default_activation_the_sigmoid():
    """Does leaving out the activation mean the sigmoid?"""
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(ref.neuron_forward(0.3, 0.1, x)[1],
                                  get_activation("sigmoid").f(0.3 * x + 0.1))


def test_does_a_saturated_sigmoid_stay_quiet_and_finite():
    """Is a neuron with |z| of 1e4 free of warnings (RuntimeWarning is an error here)?"""
    x = np.array([-3.0, 3.0])
    _, a = ref.neuron_forward(1e4, 0.0, x)
    np.testing.assert_array_equal(a, [0.0, 1.0])
    dw, db = ref.neuron_example_gradients(1e4, 0.0, x, np.array([1.0, 0.0]))
    assert np.all(np.isfinite(dw)) and np.all(np.isfinite(db))


# --- gradients --------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(problems())
def test_do_per_example_gradients_match_autograd(problem):
    """Does each observation's (dw, db) agree with autograd's to 1e-10 (000-3, 000-5)?"""
    w, b, x, y, name = problem
    dw, db = ref.neuron_example_gradients(w, b, x, y, name)
    oracle_dw, oracle_db = _oracle_example_gradients(w, b, x, y, name)
    _assert_oracle_close(dw, oracle_dw)
    _assert_oracle_close(db, oracle_db)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_does_the_batch_gradient_match_autograd_on_the_mean_cost(problem):
    """Is (dw, db) the gradient of the mean cost, to 1e-10 against autograd (000-6, 001-2)?"""
    w, b, x, y, name = problem
    dw, db = ref.neuron_batch_gradients(w, b, x, y, name)
    assert type(dw) is float and type(db) is float
    _assert_oracle_close(dw, grad(lambda v: _oracle_cost(v, b, x, y, name))(w))
    _assert_oracle_close(db, grad(lambda v: _oracle_cost(w, v, x, y, name))(b))
    _assert_oracle_close(ref.neuron_cost(w, b, x, y, name), _oracle_cost(w, b, x, y, name))


@settings(max_examples=25, deadline=None)
@given(problems())
def test_does_the_batch_gradient_pass_a_numerical_gradient_check(problem):
    """Does the gradient of the mean cost pass gradient_check, w and b reported separately?"""
    w, b, x, y, name = problem
    dw, db = ref.neuron_batch_gradients(w, b, x, y, name)
    report = gradient_check(lambda p: ref.neuron_cost(p["w"], p["b"], x, y, name),
                            {"w": np.array(w), "b": np.array(b)}, {"dw": dw, "db": db})
    assert report.passed, str(report)
    assert report["w"].max_relative_error < 1e-7 and report["b"].max_relative_error < 1e-7


@settings(max_examples=25, deadline=None)
@given(problems())
def test_does_each_example_gradient_pass_a_numerical_gradient_check(problem):
    """Is entry i of the per-example gradients the gradient of example i's loss alone?"""
    w, b, x, y, name = problem
    dw, db = ref.neuron_example_gradients(w, b, x, y, name)
    i = len(x) - 1
    report = gradient_check(lambda p: ref.neuron_cost(p["w"], p["b"], x[i], y[i], name),
                            {"w": np.array(w), "b": np.array(b)}, {"dw": dw[i], "db": db[i]})
    assert report.passed, str(report)


@settings(max_examples=30, deadline=None)
@given(problems())
def test_is_dz_db_one_and_dz_dw_x(problem):
    """Is db = dL/dz (times dz/db = 1, slip S2) and dw = dL/dz times x?"""
    w, b, x, y, name = problem
    h = get_activation(name)
    z = w * x + b
    dL_dz = (h.f(z) - y) * h.df(z)
    dw, db = ref.neuron_example_gradients(w, b, x, y, name)
    np.testing.assert_allclose(db, dL_dz, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(dw, dL_dz * x, rtol=1e-13, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(problems())
def test_is_the_gradient_of_the_summed_loss_n_times_the_mean(problem):
    """Is the seed's summed-loss gradient the sum of per-example ones, n times ours (000-6)?"""
    w, b, x, y, name = problem
    n = len(x)
    sum_dw = grad(lambda v: anp.sum(_oracle_losses(v, b, x, y, name)))(w)
    sum_db = grad(lambda v: anp.sum(_oracle_losses(w, v, x, y, name)))(b)
    dw_i, db_i = ref.neuron_example_gradients(w, b, x, y, name)
    _assert_oracle_close(np.sum(dw_i), sum_dw)
    _assert_oracle_close(np.sum(db_i), sum_db)
    dw, db = ref.neuron_batch_gradients(w, b, x, y, name)
    np.testing.assert_allclose([n * dw, n * db], [sum_dw, sum_db], rtol=1e-10, atol=1e-14)


# --- updates ----------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(problems(), st.floats(0.01, 2.0))
def test_is_the_gd_step_w_minus_lr_times_the_mean_gradient(problem, lr):
    """Does the full-batch step subtract lr times the autograd gradient (000-7, 000-8)?"""
    w, b, x, y, name = problem
    new_w, new_b = ref.neuron_gd_step(w, b, x, y, lr, name)
    assert type(new_w) is float and type(new_b) is float
    _assert_oracle_close(new_w, w - lr * grad(lambda v: _oracle_cost(v, b, x, y, name))(w))
    _assert_oracle_close(new_b, b - lr * grad(lambda v: _oracle_cost(w, v, x, y, name))(b))


@settings(max_examples=30, deadline=None)
@given(problems(), st.floats(0.01, 2.0))
def test_is_a_sum_step_with_lr_over_n_the_same_as_a_mean_step(problem, lr):
    """Does seed 000's summed update with lr / n land where our mean update with lr lands?"""
    w, b, x, y, name = problem
    n = len(x)
    sum_dw = grad(lambda v: anp.sum(_oracle_losses(v, b, x, y, name)))(w)
    sum_db = grad(lambda v: anp.sum(_oracle_losses(w, v, x, y, name)))(b)
    np.testing.assert_allclose(ref.neuron_gd_step(w, b, x, y, lr, name),
                               [w - lr / n * sum_dw, b - lr / n * sum_db],
                               rtol=1e-10, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(problems(), st.floats(0.01, 2.0))
def test_is_an_sgd_step_a_gd_step_on_a_batch_of_one(problem, lr):
    """Is the SGD step on (x_i, y_i) the full-batch step on the one-example batch (000-4)?"""
    w, b, x, y, name = problem
    step = ref.neuron_sgd_step(w, b, x[0], y[0], lr, name)
    assert all(type(v) is float for v in step)
    np.testing.assert_allclose(step, ref.neuron_gd_step(w, b, x[:1], y[:1], lr, name),
                               rtol=1e-15, atol=0)
    dw, db = ref.neuron_example_gradients(w, b, x[0], y[0], name)
    assert step == tuple(gradient_step({"w": w, "b": b}, {"dw": dw, "db": db}, lr).values())


@settings(max_examples=30, deadline=None)
@given(problems(activations=st.sampled_from(("sigmoid", "tanh", "identity"))))
def test_does_a_small_gd_step_lower_the_cost(problem):
    """Does a small enough step against the gradient lower the mean cost?"""
    w, b, x, y, name = problem
    dw, db = ref.neuron_batch_gradients(w, b, x, y, name)
    assume(dw * dw + db * db > 1e-8)
    new_w, new_b = ref.neuron_gd_step(w, b, x, y, 1e-3, name)
    assert ref.neuron_cost(new_w, new_b, x, y, name) < ref.neuron_cost(w, b, x, y, name)


def test_are_the_inputs_left_unchanged():
    """Do the functions leave the caller's arrays alone?"""
    x = np.array([0.5, -1.0, 2.0])
    y = np.array([1.0, 0.0, 1.0])
    x_before, y_before = x.copy(), y.copy()
    ref.neuron_example_gradients(0.3, 0.2, x, y)
    ref.neuron_gd_step(0.3, 0.2, x, y, 0.5)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(y, y_before)


@pytest.mark.parametrize("call", [
    lambda: ref.neuron_example_gradients(0.1, 0.2, np.ones(3), np.ones(2)),
    lambda: ref.neuron_forward(0.1, 0.2, np.ones((2, 3))),
    lambda: ref.neuron_forward(np.ones(2), 0.2, np.ones(3)),
    lambda: ref.neuron_sgd_step(0.1, 0.2, np.ones(3), np.ones(3), 0.5),
    lambda: ref.neuron_forward(0.1, 0.2, 1.0, activation="softsign"),
])
def test_are_misshapen_inputs_refused_with_a_message(call):
    """Do a y of another shape, a 2-D x, a vector w, a batch in SGD, an unknown h raise?"""
    with pytest.raises(ValueError):
        call()
