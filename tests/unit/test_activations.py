"""Specification of autograder.activations: values, derivatives and numerical stability.

Every derivative is compared with two independent oracles: ``autograd`` differentiating an
``autograd.numpy`` definition written here, and the package's own numerical differences.
"""
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from autograder import activations
from autograder.activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    identity,
    identity_prime,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    tanh,
    tanh_prime,
)
from autograder.gradcheck import numerical_gradient, relative_error

FLOAT_MAX = np.finfo(np.float64).max
SETTINGS = settings(max_examples=30, deadline=None)

# Independent definitions, written from the formulas (not from the package), for autograd.
AUTOGRAD_DEFINITIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + anp.exp(-z)),
    "tanh": lambda z: anp.tanh(z),
    "relu": lambda z: anp.maximum(z, 0.0),
    "identity": lambda z: 1.0 * z,
}


def z_arrays(low=-30.0, high=30.0, away_from_zero=False):
    """Small float64 arrays of pre-activations; optionally kept off the ReLU kink at 0."""
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False)
    if away_from_zero:
        elements = elements.filter(lambda v: abs(v) > 0.01)
    return arrays(np.float64, array_shapes(min_dims=0, max_dims=2, max_side=5), elements=elements)


def assert_relatively_close(actual, expected, rtol):
    """Entrywise |actual - expected| <= rtol * |expected| (so zeros must be exact zeros)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    assert np.all(np.abs(actual - expected) <= rtol * np.abs(expected)), (actual, expected)


# --- values against the definitions ---------------------------------------------------------

@SETTINGS
@given(z=z_arrays())
def test_does_sigmoid_equal_its_definition(z):
    """Is sigmoid(z) = 1 / (1 + exp(-z)) to the last few digits?"""
    assert_relatively_close(sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-14)


@SETTINGS
@given(z=z_arrays())
def test_is_sigmoid_symmetric(z):
    """Does sigmoid(-z) = 1 - sigmoid(z) hold?"""
    np.testing.assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), rtol=0, atol=1e-15)


@SETTINGS
@given(z=z_arrays())
def test_do_tanh_relu_identity_equal_their_definitions(z):
    """Are tanh, relu and identity the textbook functions?"""
    np.testing.assert_array_equal(tanh(z), np.tanh(z))
    np.testing.assert_array_equal(relu(z), np.where(z > 0, z, 0.0))
    np.testing.assert_array_equal(identity(z), z)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_do_activations_return_float64_of_the_input_shape(name):
    """Do activations and derivatives turn ints and lists into float64 of the input's shape?

    (A scalar input may come back as a numpy float64 scalar, the way numpy's ufuncs do.)
    """
    act = ACTIVATIONS[name]
    for z in ([[-2, 0, 3]], 2, np.arange(6).reshape(2, 3)):
        for fn in (act.f, act.df):
            out = fn(z)
            assert isinstance(out, (np.ndarray, np.float64)) and out.dtype == np.float64
            assert out.shape == np.shape(z)


def test_does_identity_return_a_new_array():
    """Is identity(z) a copy, so changing it leaves z alone?"""
    z = np.array([1.0, -2.0])
    out = identity(z)
    out[0] = 99.0
    assert z[0] == 1.0


def test_is_the_relu_derivative_zero_at_the_kink():
    """Does relu_prime use the subgradient 0 at z = 0 (and 1 for z > 0)?"""
    np.testing.assert_array_equal(relu_prime(np.array([-1.0, 0.0, 1e-300, 5.0])),
                                  [0.0, 0.0, 1.0, 1.0])


def test_are_known_values_right():
    """Are a few values known by heart right (sigma(0) = 1/2, sigma'(0) = 1/4, tanh'(0) = 1)?"""
    assert sigmoid(0.0) == 0.5
    assert sigmoid_prime(0.0) == 0.25
    assert tanh_prime(0.0) == 1.0
    assert identity_prime(3.0) == 1.0
    np.testing.assert_allclose(sigmoid(np.log(3.0)), 0.75, rtol=1e-15)


# --- derivatives: autograd and numerical differences -----------------------------------------

@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@SETTINGS
@given(data=st.data())
def test_does_each_derivative_agree_with_autograd(name, data):
    """Does every activation's derivative match autograd's to 1e-10 (relative), over |z| <= 30?"""
    z = data.draw(z_arrays(away_from_zero=(name == "relu")))
    expected = autograd.elementwise_grad(AUTOGRAD_DEFINITIONS[name])(z)
    assert_relatively_close(ACTIVATIONS[name].df(z), expected, rtol=1e-10)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@SETTINGS
@given(data=st.data())
def test_does_each_derivative_agree_with_numerical_differences(name, data):
    """Does every derivative match autograder.gradcheck's numerical gradient (rel. err. < 1e-7)?"""
    z = data.draw(z_arrays(-8.0, 8.0, away_from_zero=(name == "relu")))
    act = ACTIVATIONS[name]
    numeric = numerical_gradient(lambda p: np.sum(act.f(p["z"])), {"z": z})["z"]
    assert np.max(relative_error(act.df(z), numeric), initial=0.0) < 1e-7


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_are_derivatives_accurate_far_in_the_tails(name):
    """Do sigmoid' and tanh' keep their relative accuracy where the activation rounds to +-1?

    The textbook forms sigma(1 - sigma) and 1 - tanh^2 cancel to 0 there; exact values:
    sigma'(z) = e^-|z| / (1 + e^-|z|)^2 and tanh'(z) = 4 e^-2|z| / (1 + e^-2|z|)^2.
    """
    z = np.array([-200.0, -40.0, -25.0, 25.0, 40.0, 200.0])
    e = np.exp(-np.abs(z))
    exact = {"sigmoid": e / (1 + e) ** 2, "tanh": 4 * e * e / (1 + e * e) ** 2}[name]
    assert_relatively_close(ACTIVATIONS[name].df(z), exact, rtol=1e-13)
    assert_relatively_close(ACTIVATIONS[name].df(-z), ACTIVATIONS[name].df(z), rtol=1e-15)


# --- stability -------------------------------------------------------------------------------

EXTREMES = np.array([-np.inf, -FLOAT_MAX, -1e300, -1e4, -1e3, -745.0, -40.0,
                     40.0, 745.0, 1e3, 1e4, 1e300, FLOAT_MAX, np.inf])


def call_strictly(fn, z):
    """Call fn with every warning turned into an error and floating-point faults raising."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return fn(z)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_are_activations_and_derivatives_silent_and_finite_at_extremes(name):
    """Do all activations and derivatives run without a warning for |z| up to the float64 max?"""
    act = ACTIVATIONS[name]
    finite = EXTREMES[np.isfinite(EXTREMES)]
    for fn in (act.f, act.df):
        out = call_strictly(fn, EXTREMES)
        assert not np.any(np.isnan(out))
        assert np.all(np.isfinite(call_strictly(fn, finite)))


def test_does_sigmoid_reach_its_limits_exactly():
    """Is sigmoid exactly 1 for z >= 40 and exactly 0 below -745, up to the float64 max?"""
    z = EXTREMES
    s = call_strictly(sigmoid, z)
    np.testing.assert_array_equal(s[z >= 40], 1.0)
    np.testing.assert_array_equal(s[z < -745], 0.0)
    np.testing.assert_array_equal(call_strictly(sigmoid_prime, z)[np.abs(z) > 745], 0.0)


def test_is_sigmoid_relatively_accurate_for_very_negative_z():
    """For very negative z, is sigmoid(z) = e^z to full relative precision (not rounded to 0)?"""
    z = np.array([-40.0, -100.0, -700.0])
    assert_relatively_close(sigmoid(z), np.exp(z) / (1 + np.exp(z)), rtol=1e-14)
    assert np.all(sigmoid(z) > 0)


def test_does_sigmoid_stay_in_the_unit_interval():
    """Are all sigmoid values in [0, 1] and monotone over a wide grid?"""
    z = np.linspace(-1e3, 1e3, 20001)
    s = sigmoid(z)
    assert np.all((0 <= s) & (s <= 1))
    assert np.all(np.diff(s) >= 0)


# --- lookup ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_does_get_activation_find_every_activation_by_name(name):
    """Does get_activation(name) return the pair (f, f') registered under that name?"""
    act = get_activation(name)
    assert isinstance(act, Activation) and act.name == name
    assert act.f is getattr(activations, name)
    assert act.df is getattr(activations, name + "_prime")


def test_does_get_activation_pass_an_activation_through():
    """Is an Activation given to get_activation returned unchanged?"""
    act = ACTIVATIONS["tanh"]
    assert get_activation(act) is act


@pytest.mark.parametrize("bad", ["softmax", "Sigmoid", "", None, ["relu"]])
def test_does_an_unknown_activation_name_give_a_clear_error(bad):
    """Does an unknown name raise ValueError that repeats the name and lists the choices?"""
    with pytest.raises(ValueError) as error:
        get_activation(bad)
    message = str(error.value)
    assert repr(bad) in message
    for name in ("identity", "relu", "sigmoid", "tanh"):
        assert name in message
