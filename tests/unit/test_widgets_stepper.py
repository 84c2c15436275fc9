"""Specification of the backprop stepper widget (autograder.widgets.backprop_stepper), without a
browser: the controls are driven as a frontend drives them (setting .value, clicking)."""
import html

import numpy as np
import pytest

from autograder import widgets as wd
from autograder.reference import delta_rule


@pytest.fixture
def stepper(capfd):
    made = wd.backprop_stepper("232", student_functions={
        "output_delta": delta_rule.output_delta,
        "hidden_delta": lambda d, u, h: (d @ u.T) * h * h})  # planted: h h for h (1 - h)
    yield made
    made.close()
    assert capfd.readouterr().err == ""


def test_does_a_step_forward_change_the_picture_and_the_shown_value(stepper):
    """Next: does the slider move one step, the formula change to h1's and the picture change,
    with h1's value written above it?"""
    stepper.go(1)
    before_png, before_html = stepper.image.value, stepper.step_html.value
    stepper.next_button.click()
    assert stepper.step_slider.value == 2
    assert "h1 = σ(w11 x1 + w21 x2 + b1_1)" in stepper.step_html.value
    assert stepper.step_html.value != before_html and stepper.image.value != before_png
    assert stepper.plot.shown["values"]["h1"] == f"{stepper.walk.steps[2].value:.3g}"
    assert stepper.plot.shown["highlight"][0] == "h1"


def test_does_the_backward_switch_jump_to_the_first_backward_step(stepper):
    """Choosing "backward": is the step the output delta δ1, with its local factor shown?"""
    stepper.phase_buttons.value = "backward"
    assert stepper.walk.steps[stepper.step_slider.value].key == "delta1"
    assert "local factor" in stepper.step_html.value and "y1 (1 − y1)" in stepper.step_html.value
    stepper.phase_buttons.value = "forward"
    assert stepper.step_slider.value == 0


def test_does_use_my_functions_mark_the_node_where_the_planted_bug_enters(stepper):
    """With the planted hidden_delta, stepping past it with "Use my functions" on: is the first
    differing node h1 (its delta), marked on the picture and named in the text? Before it, and
    with the switch off, is nothing marked?"""
    stepper.mine_checkbox.value = True
    stepper.go(stepper.walk.index("deltah1") - 1)
    assert stepper.plot.shown["mismatch"] is None
    assert "first differs" not in stepper.step_html.value
    stepper.next_button.click()
    assert stepper.plot.shown["mismatch"] == "h1"
    assert "first differs at step" in stepper.step_html.value
    assert "hidden_delta" in stepper.step_html.value
    stepper.go(len(stepper.walk.steps) - 1)
    assert stepper.plot.shown["mismatch"] == "h1"  # still the first one, not the last
    stepper.mine_checkbox.value = False
    assert stepper.plot.shown["mismatch"] is None


def test_is_use_my_functions_disabled_without_functions():
    """Without student_functions, is the switch disabled, with a tooltip saying how to use it?"""
    made = wd.backprop_stepper("neuron")
    assert made.mine_checkbox.disabled and "student_functions" in made.mine_checkbox.tooltip
    made.go(99)
    assert made.step_slider.value == len(made.walk.steps) - 1
    assert made.walk.steps[-1].key == "dL/db"
    made.close()


def test_does_a_misspelt_function_name_fail_when_the_cell_runs():
    """student_functions={"output_delt": ...}: is the error raised at once, naming the known
    functions?"""
    with pytest.raises(ValueError, match="output_delta"):
        wd.backprop_stepper("232", student_functions={"output_delt": delta_rule.output_delta})


def test_does_lesson_2s_stepper_mark_a_doubled_hidden_delta_at_the_hidden_unit(capfd):
    """Lesson 2's network with a hidden_layer_gradients that doubles its result: stepping to
    the first hidden delta with "Use my functions" on, is a^[1]_1 marked and the function named;
    are the forward values written by the nodes the picture draws (x1.., a1.., yhat)?"""
    from autograder.reference import hidden_layer

    def doubled(params, X, y, activation="sigmoid"):
        dW1, db1 = hidden_layer.hidden_layer_gradients(params, X, y, activation)
        return 2 * dW1, 2 * db1

    made = wd.backprop_stepper("hidden", display=False, student_functions={
        "hidden_forward": hidden_layer.hidden_forward, "hidden_layer_gradients": doubled})
    made.go(made.walk.n_forward - 1)
    assert set(made.plot.shown["values"]) == {"x1", "x2", "x3", "a1", "a2", "yhat"}
    made.mine_checkbox.value = True
    made.go(made.walk.index("delta1_1"))
    assert made.plot.shown["mismatch"] == "a1"
    assert "hidden_layer_gradients" in made.step_html.value
    assert "h'(z^[1]_1)" in html.unescape(made.step_html.value)
    made.close()
    assert capfd.readouterr().err == ""
