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


# -- lessons 5 and 6: drawn with the student's functions -------------------------------------

def _texts(figure):
    """Every visible, non-empty text of a figure, with its box as the Agg renderer lays it out."""
    from matplotlib.text import Text

    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    hidden = {t for ax in figure.axes if not ax.axison  # an axis switched off is not drawn
              for axis in (ax.xaxis, ax.yaxis) for t in axis.findobj(Text)}
    return [(t.get_text(), t.get_window_extent(renderer)) for t in figure.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t not in hidden]


def _overlapping(figure):
    boxes = _texts(figure)
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.overlaps(box_b)]


def _unwritten(*args, **kwargs):
    raise NotImplementedError()


def _digits():
    from autograder.datasets import load_digits, train_test_split_columns

    X, labels = load_digits(digits=(3, 8))
    Y = (labels == 8).astype(float).reshape(1, -1)
    return train_test_split_columns(X, Y, test_fraction=0.25, seed=0)


def _deep_network():
    """Lesson 6's Section 5 network: 8 layers of 16, weights N(0, 1/16), 50 random examples."""
    rng = np.random.default_rng(1)
    sizes = [16] * 8 + [1]
    params = {}
    for j in range(1, len(sizes)):
        params[f"W{j}"] = rng.normal(size=(sizes[j], sizes[j - 1])) / np.sqrt(sizes[j - 1])
        params[f"b{j}"] = np.zeros((sizes[j], 1))
    return params, rng.normal(size=(16, 50)), (rng.random((1, 50)) < 0.5).astype(float)


def test_does_an_unwritten_exercise_give_a_note_and_any_other_error_its_traceback():
    """when_written: a NotImplementedError becomes a note naming the exercise to finish; a bug
    in a written function (here a ValueError) is raised as it is."""
    note = ls.when_written(_unwritten, "Exercise 5 (mlp_backward)")
    assert isinstance(note, ls.Note)
    assert repr(note).startswith("Finish Exercise 5 (mlp_backward) first")
    assert 'role="note"' in note._repr_html_() and "Exercise 5" in note._repr_html_()

    def buggy():
        raise ValueError("shapes (4, 3) and (4, 5) not aligned")

    with pytest.raises(ValueError, match="not aligned"):
        ls.when_written(buggy, "Exercise 5")


def test_are_the_layer_sizes_those_of_the_gradient_function_given():
    """On lesson 6's network, is each drawn point ||dW_j|| of the gradients the lesson's function
    returns, layer 1 first, one line per hidden activation, in the palette's colours?"""
    from autograder.reference.mlp import mlp_gradients

    params, X, Y = _deep_network()
    plot = ls.vanishing_gradient_picture(network=(params, X, Y), gradients=mlp_gradients,
                                         activations=("sigmoid", "tanh"), loss="bce")
    lines = plot.figure.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["sigmoid", "tanh"]
    for line, hidden in zip(lines, ("sigmoid", "tanh")):
        grads = mlp_gradients(params, X, Y, [hidden] * 7 + ["sigmoid"], "bce")
        expected = [np.linalg.norm(grads[f"dW{j}"]) for j in range(1, 9)]
        np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-12)
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 9))
        assert line.get_color() in ls.COLOURS
    sigmoid = lines[0].get_ydata()
    assert sigmoid[0] / sigmoid[-1] < 1e-3  # the lesson's checked cell asserts the same
    assert "vanishes towards the input" in plot.caption
    assert f"sigmoid {sigmoid[0] / sigmoid[-1]:.2g}," in plot.caption


def test_is_the_vanishing_picture_a_note_while_mlp_backward_is_unwritten():
    """With the student's stub as the gradient function: a note that names Exercise 5?"""
    params, X, Y = _deep_network()
    note = ls.vanishing_gradient_picture(network=(params, X, Y), gradients=_unwritten)
    assert isinstance(note, ls.Note) and "Exercise 5 (mlp_backward)" in note.text


def test_does_a_gradient_function_missing_a_layer_get_a_clear_message():
    """A gradient dict without dW2: does the error name the missing key and what is needed?"""
    with pytest.raises(ValueError, match=r"no dW2.*one dWj per layer"):
        ls.layer_gradient_sizes(lambda *a: {"dW1": np.ones((2, 2))}, {}, None, None,
                                ["tanh", "sigmoid"], "bce")


def test_are_the_curves_the_costs_before_and_after_every_epoch():
    """record_curves: n_epochs + 1 values per curve, the first at the start, the step applied
    once per epoch, the parameters given left as they were?"""
    start = {"w": np.array([4.0])}
    params, curves = ls.record_curves(lambda p: {"w": p["w"] / 2}, start, 3,
                                      {"w": lambda p: float(p["w"][0]),
                                       "w squared": lambda p: float(p["w"][0] ** 2)})
    np.testing.assert_array_equal(curves["w"], [4.0, 2.0, 1.0, 0.5])
    np.testing.assert_array_equal(curves["w squared"], [16.0, 4.0, 1.0, 0.25])
    assert params["w"][0] == 0.5 and start["w"][0] == 4.0


def test_do_the_digit_pictures_show_the_network_the_capstone_trains():
    """With the reference's functions (a student's correct ones): is the training curve the
    history of the capstone's minibatch_sgd, the weight images rows of its trained W1, the test
    curve the test cost, and every digit shown a misclassified one with its labels?"""
    from autograder.reference import mlp as ref

    X_train, Y_train, X_test, Y_test = data = _digits()
    start = ref.init_mlp([64, 16, 1], seed=0)
    trained, history = ref.minibatch_sgd(start, X_train, Y_train, ["tanh", "sigmoid"], "bce",
                                         0.5, 32, 4, seed=0)
    gallery = ls.digit_training_pictures(ref.sgd_epoch, ref.mlp_forward, ref.mlp_cost, start,
                                         data, ["tanh", "sigmoid"], n_epochs=4,
                                         names={0: "3", 1: "8"})
    curves, weights, wrong = gallery.plots
    training, test = curves.figure.axes[0].get_lines()
    np.testing.assert_allclose(training.get_ydata(), history, rtol=1e-12)
    assert test.get_ydata()[-1] == pytest.approx(
        ref.mlp_cost(trained, X_test, Y_test, ["tanh", "sigmoid"], "bce"))
    first = weights.figure.axes[0].get_images()[0].get_array()
    np.testing.assert_allclose(first, trained["W1"][0].reshape(8, 8))
    predicted = (ref.mlp_forward(trained, X_test, ["tanh", "sigmoid"])[0] > 0.5).ravel()
    labels = Y_test.ravel() > 0.5
    shown = [ax for ax in wrong.figure.axes if ax.get_images()] if hasattr(wrong, "figure") \
        else []
    assert len(shown) == min(8, int(np.sum(predicted != labels)))
    for ax, i in zip(shown, np.flatnonzero(predicted != labels)):
        np.testing.assert_allclose(ax.get_images()[0].get_array(), X_test[:, i].reshape(8, 8))
        assert ax.get_title() == f"is {'8' if labels[i] else '3'}\nsaid " \
                                 f"{'8' if predicted[i] else '3'}"
    assert "test" in gallery.caption and gallery._repr_html_().count("<figure") == 3


def test_are_the_digit_pictures_a_note_while_sgd_epoch_is_unwritten():
    """With the student's stub of sgd_epoch: a note naming Exercise 2, and no training run?"""
    from autograder.reference import mlp as ref

    note = ls.digit_training_pictures(_unwritten, ref.mlp_forward, ref.mlp_cost,
                                      ref.init_mlp([64, 16, 1], seed=0), _digits(),
                                      ["tanh", "sigmoid"])
    assert isinstance(note, ls.Note) and "Exercise 2 (sgd_epoch)" in note.text


NEW_PICTURES = {
    "gradient sizes": lambda: ls.gradient_sizes_picture(
        {"sigmoid": [1e-6, 1e-4, 1e-2], "tanh": [0.1, 0.2, 0.3]}),
    "curves": lambda: ls.curves_picture([0.7, 0.2, 0.1], [0.7, 0.3, 0.25],
                                        ylabel="cost (cross-entropy)", title="64-16-1 network"),
    "16 weight images": lambda: ls.digit_weights_picture(
        np.random.default_rng(0).normal(size=(16, 64))),
    "8 misclassified": lambda: ls.misclassified_picture(
        np.random.default_rng(0).random((64, 10)), np.zeros(10), np.ones(10),
        names={0: "3", 1: "8"}),
    "activations": ls.activation_picture,
}


@pytest.mark.parametrize("name", list(NEW_PICTURES))
def test_do_no_two_texts_of_a_lesson_picture_overlap(name):
    """Rendered at its default size, do the titles, axis and tick labels, legends and panel
    titles keep clear of each other (their boxes, as Agg lays them out, do not intersect)?"""
    plot = NEW_PICTURES[name]()
    assert _texts(plot.figure) and _overlapping(plot.figure) == []


def test_would_the_text_overlap_check_catch_a_clash():
    """Is the check able to fail: a text written on top of the axis label is found?"""
    plot = ls.curves_picture([1.0, 0.5])
    ax = plot.figure.axes[0]
    ax.annotate("clash", (0.5, 0), xycoords=ax.xaxis.label, ha="center", va="bottom")
    assert any("clash" in pair for pair in _overlapping(plot.figure))


def test_does_a_gallery_show_its_captions_as_plain_text_and_its_figures_as_html():
    """A gallery of a picture and a note: is its plain text the captions, the note as itself,
    and its HTML one captioned figure followed by the note?"""
    gallery = ls.Gallery([ls.curves_picture([1.0, 0.5]), ls.Note("No test digit is wrong.")])
    assert repr(gallery).splitlines()[0].startswith("[picture] The cost on the training data")
    assert repr(gallery).splitlines()[1] == "No test digit is wrong."
    page = gallery._repr_html_()
    assert page.count("<figure") == 1 and page.endswith("No test digit is wrong.</p>")


@pytest.mark.parametrize("predicted, n, caption", [
    ([1, 1, 1], 8, "The one misclassified digit, with its true label"),
    ([1, 1, 0], 8, "The 2 misclassified digits, each with its true label"),
    ([1, 0, 0], 2, "2 of the 3 misclassified digits, each with its true label"),
    ([0, 1, 1], 8, "No digit is misclassified."),
])
def test_does_the_misclassified_caption_count_what_it_shows(predicted, n, caption):
    """Does the caption say how many wrong digits there are and how many are shown?"""
    plot = ls.misclassified_picture(np.zeros((64, 3)), [0, 1, 1], predicted, n=n)
    assert plot.caption.startswith(caption)
