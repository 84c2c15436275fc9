"""Specification of the lessons' static pictures (autograder.pictures.lessons): the numbers behind
each picture, and that each has a caption."""
import numpy as np
import pytest

from autograder.gradcheck import numerical_gradient, relative_error
from autograder.pictures import lessons as ls


def test_is_the_sigmoids_derivative_at_most_a_quarter_and_tiny_in_the_tails():
    """Do the plotted curves show sigma' <= 1/4 (equal at z = 0), tanh' <= 1, and sigma' below
    0.02 beyond |z| = 4 (the shaded saturation)?"""
    z, curves = ls.activation_curves()
    sig, dsig = curves["sigmoid"]
    assert dsig.max() == pytest.approx(0.25) and z[np.argmax(dsig)] == 0.0
    assert curves["tanh"][1].max() == pytest.approx(1.0)
    assert np.all(dsig[np.abs(z) > 4] < 0.02)
    numeric = np.gradient(sig, z)
    assert np.max(np.abs(numeric - dsig)) < 1e-3


def test_do_sigmoid_gradients_shrink_layer_by_layer_towards_the_input():
    """In the 8-layer sigmoid network, is each layer's gradient smaller than the next one's,
    the first more than 1000 times smaller than the last; and does tanh not vanish like that?"""
    sig = ls.gradient_size_per_layer(activation="sigmoid")
    assert np.all(np.diff(sig) > 0) and sig[-1] / sig[0] > 1e3
    tanh = ls.gradient_size_per_layer(activation="tanh")
    assert tanh[-1] / tanh[0] < 10


def test_are_the_layer_gradients_the_finite_difference_gradients():
    """Is the first layer's gradient size that of a centred-difference gradient of the cost?"""
    from autograder.reference.mlp import init_mlp, mlp_cost

    depth, width = 3, 4
    rng = np.random.default_rng(0)
    params = init_mlp([width] * depth + [1], seed=0)
    X = rng.standard_normal((width, 64))
    Y = rng.uniform(0.0, 1.0, size=(1, 64))
    acts = ["sigmoid"] * depth
    numeric = numerical_gradient(lambda p: mlp_cost(p, X, Y, acts, "squared_error"), params)
    ours = ls.gradient_size_per_layer(depth=depth, width=width)
    for l in range(1, depth + 1):
        assert relative_error(ours[l - 1], np.linalg.norm(numeric[f"W{l}"])) < 1e-6


def test_is_the_decision_grid_the_classifiers_output():
    """Does decision_grid evaluate predict at every grid point, rows along the second feature?"""
    G1, G2, S = ls.decision_grid(lambda P: P[:, 0] - 2 * P[:, 1], (0, 1), (0, 2), n=5)
    np.testing.assert_allclose(S, G1 - 2 * G2)
    assert G2[-1, 0] == 2 and G1[0, -1] == 1


def test_are_the_misclassified_digits_the_wrong_ones():
    """Does misclassified return the indices where the prediction differs, at most n?"""
    labels, predicted = np.array([0, 1, 1, 0, 1]), np.array([0, 0, 1, 1, 0])
    np.testing.assert_array_equal(ls.misclassified(None, labels, predicted, n=2), [1, 3])


def test_does_a_weight_matrix_of_the_wrong_width_get_a_clear_message():
    """W1 of shape (64, 16), the transpose: does the error say (n_hidden, 64)?"""
    with pytest.raises(ValueError, match=r"\(n_hidden, 64\)"):
        ls.digit_weights_picture(np.zeros((64, 16)))


@pytest.mark.parametrize("make", [
    ls.activation_picture,
    lambda: ls.vanishing_gradient_picture(depth=4, width=4),
    lambda: ls.decision_region_picture(lambda P: P[:, 0] > 0, np.eye(2), [0, 1]),
    lambda: ls.digit_weights_picture(np.ones((3, 64))),
    lambda: ls.misclassified_picture(np.zeros((64, 3)), [0, 1, 1], [1, 1, 0], names={0: "3"}),
    lambda: ls.curves_picture([1.0, 0.5, 0.2], [1.1, 0.7, 0.5]),
])
def test_does_every_picture_render_with_a_caption(make):
    """Does each picture render to PNG and carry a caption that says what it shows?"""
    plot = make()
    assert plot.png()[:8] == b"\x89PNG\r\n\x1a\n" and len(plot.caption) > 40
    assert "alt=" in plot._repr_html_()
