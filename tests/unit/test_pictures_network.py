"""Specification of the network drawings (autograder.pictures.network): what is drawn, from which
numbers, and that it can be read (no two labels on top of each other at the default size)."""
import numpy as np
import pytest

from autograder.pictures import network as nw
from autograder.pictures import stepper as st


def _overlaps(picture):
    """Pairs of texts whose boxes, as the Agg renderer lays them out, intersect."""
    canvas = picture.figure.canvas
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in picture.texts()]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.overlaps(box_b)]


_, _, W, _, U, _ = st.lesson4_worked_example()
W1 = np.array([[0.5, -0.3, 0.8], [-0.6, 0.4, 0.2]])
LESSON_PICTURES = {
    "neuron": lambda: nw.neuron_picture(0.5, -1.0, 2.0),
    "neuron with loss": lambda: nw.neuron_picture(0.5, -1.0, 2.0, with_loss=True,
                                                  grads={"w": -0.25, "a": -0.5, "z": -0.125}),
    "p-d-1": lambda: nw.hidden_layer_picture(W1=W1, W2=np.array([[1.2, -0.7]])),
    "p-d-1, 30 inputs": lambda: nw.hidden_layer_picture(30, 8),
    "logistic p=2": lambda: nw.logistic_picture(2),
    "logistic p=30": lambda: nw.logistic_picture(30),
    "2-3-2": lambda: nw.network_232_picture(W, U),
    "2-3-2 with values": lambda: nw.network_232_picture(
        W, U, values={s.key: s.value for s in st.network_232_walkthrough().steps},
        grads={"h1": 0.04232, "h2": -0.002249, "y1": -0.09143, "u11": -0.05475}),
    "L-layer": lambda: nw.deep_network_picture((64, 32, 16, 10)),
    "L-layer, lesson 5's digits": lambda: nw.deep_network_picture((64, 16, 1),
                                                                  activations=["tanh", "sigmoid"]),
    "L-layer, a-notation": lambda: nw.deep_network_picture((5, 4, 3), notation="a"),
    "lesson 5's worked example": lambda: nw.deep_network_picture(
        (3, 4, 2), activations=["tanh", "sigmoid"], what="The worked example of Sections 1-7."),
    "lesson 6's digit network": lambda: nw.deep_network_picture(
        (64, 16, 1), activations=["tanh", "sigmoid"], input_name="pixels"),
}


@pytest.mark.parametrize("name", list(LESSON_PICTURES))
def test_do_no_two_labels_overlap_at_the_default_size(name):
    """Rendered at its default size, does every text (node names, values, gradients, weight
    labels, titles) keep clear of every other?"""
    picture = LESSON_PICTURES[name]()
    assert picture.texts(), "nothing written"
    assert _overlaps(picture) == []
    assert len(picture.caption) > 60  # a caption that says what the picture shows


def test_would_the_overlap_check_catch_labels_on_top_of_each_other():
    """Is the overlap check able to fail: two labels written at the same place overlap?"""
    picture = nw.network_232_picture()
    picture.ax.text(0.0, 1.0, "clash", ha="center", va="center")
    assert any("clash" in pair for pair in _overlaps(picture))


def test_does_the_2_3_2_picture_use_the_course_notation():
    """Are the nodes x1, x2, h1..h3, y1, y2, the weights w_ij (input i to hidden j) and u_ij,
    and the targets t1, t2 all on the picture, each line joining the nodes its name says?"""
    picture = nw.network_232_picture()
    assert set(picture.nodes) == {"x1", "x2", "h1", "h2", "h3", "y1", "y2"}
    assert set(picture.edges) == {f"w{i}{j}" for i in (1, 2) for j in (1, 2, 3)} | \
        {f"u{i}{j}" for i in (1, 2, 3) for j in (1, 2)}
    assert picture.edge_ends["w12"] == ("x1", "h2") and picture.edge_ends["u31"] == ("h3", "y1")
    x, y = picture.edges["w23"].get_data()
    assert (x[0], y[0]) == picture.positions["x2"] and (x[1], y[1]) == picture.positions["h3"]
    texts = [t.get_text() for t in picture.ax.texts]
    assert "$t_{1}$" in texts and "$t_{2}$" in texts
    assert picture.node_texts["h1"].get_text() == "$h_{1}$"


def test_do_colour_and_width_show_the_weights_value_and_sign():
    """Is a large positive weight drawn wider than a small one, and in another colour than a
    negative weight of the same size (a diverging map, orange for +, purple for -)?"""
    w = np.array([[2.0, 0.1, -2.0], [0.0, 1.0, -1.0]])
    picture = nw.network_232_picture(w, np.zeros((3, 2)))
    wide, thin = picture.edges["w11"], picture.edges["w12"]
    assert wide.get_linewidth() > thin.get_linewidth() + 2
    plus, minus = np.array(wide.get_color()[:3]), np.array(picture.edges["w13"].get_color()[:3])
    assert plus[0] > plus[2] and minus[2] > minus[0]  # red-ish (orange) vs blue-ish (purple)
    assert picture.edges["w11"].get_linewidth() == picture.edges["w13"].get_linewidth()


def test_does_a_columns_convention_matrix_in_the_wrong_orientation_get_a_clear_message():
    """Passing lesson 2's W1 (d, p) where (p, d) is expected: does the error say to pass W.T?"""
    with pytest.raises(ValueError, match="W.T"):
        nw.draw_network((3, 2, 1), weights=[np.zeros((2, 3)), np.zeros((2, 1))])


def test_are_values_and_gradients_written_by_their_nodes_and_highlights_drawn():
    """Does a value appear above its node, a gradient below it, and is a highlighted edge drawn
    wider and in the highlight colour?"""
    picture = nw.neuron_picture(with_loss=True, values={"z": 0.0}, grads={"z": -0.125},
                                highlight={"w", "z"})
    assert picture.value_texts["z"].get_text() == "0"
    assert picture.grad_texts["z"].get_text() == "-0.125"
    assert picture.edges["w"].get_color() == nw.HIGHLIGHT
    assert picture.nodes["z"].get_edgecolor()[:3] != picture.nodes["a"].get_edgecolor()[:3]


def test_does_a_large_layer_show_an_ellipsis_and_its_last_unit():
    """Does the 64-input layer of the L-layer network show units 1..4, an ellipsis and unit 64,
    in lesson 5's notation (F_0)_k?"""
    picture = nw.deep_network_picture((64, 32, 10))
    inputs = [name for name in picture.nodes if name.startswith("$(F_{0})")]
    assert inputs == [f"$(F_{{0}})_{{{k}}}$" for k in (1, 2, 3, 4, 64)]
    assert "⋮" in [t.get_text() for t in picture.ax.texts]


def test_is_the_picture_shown_with_alt_text_and_a_caption_without_pyplot():
    """Does the HTML form carry the caption as alt text and as a visible caption, and does
    drawing leave pyplot's figure registry alone?"""
    import sys

    picture = nw.logistic_picture(3)
    page = picture._repr_html_()
    assert 'alt="Logistic regression with 3 features' in page and "<figcaption" in page
    assert picture.png()[:8] == b"\x89PNG\r\n\x1a\n"
    if "matplotlib.pyplot" in sys.modules:  # another test imported it: nothing of ours is in it
        import matplotlib.pyplot as plt
        assert all(plt.figure(n) is not picture.figure for n in plt.get_fignums())


def test_is_the_l_layer_network_in_the_lessons_letters_with_the_course_notation_beside():
    """Lesson 5's worked example: are the units (F_j)_k, the last layer titled F_L, the gaps
    W_j, b_j, and does the caption give the course's a^[j], W^[j], b^[j] for them; and does the
    course notation itself use square brackets for the layer (round ones are an example)?"""
    picture = nw.deep_network_picture((3, 4, 2), activations=["tanh", "sigmoid"],
                                      what="The worked example.", input_name="inputs")
    texts = [t.get_text() for t in picture.texts()]
    assert "$(F_{0})_{3}$" in texts and "$(F_{2})_{2}$" in texts
    assert any("layer L = 2: $F_L$ (sigmoid)" in t for t in texts)
    assert any("3 inputs" in t for t in texts) and any("$W_{2}, b_{2}$" in t for t in texts)
    assert picture.caption.startswith("The worked example. An L-layer network with L = 2")
    assert "F_j as a^[j], W_j as W^[j] and b_j as b^[j]" in picture.caption
    course = [t.get_text() for t in nw.deep_network_picture((2, 3, 1), notation="a").texts()]
    assert "$a^{[1]}_{3}$" in course and not any("^{(" in t for t in course)


def test_does_a_wrong_number_of_activations_get_a_clear_message():
    """Three activations for a two-layer network: does the error say one per layer 1..L = 2?"""
    with pytest.raises(ValueError, match=r"one name per layer 1..L = 2; got 3"):
        nw.deep_network_picture((3, 4, 2), activations=["tanh", "tanh", "sigmoid"])
