"""What is particular to the exercises of lesson 01_single_neuron.

What every lesson's exercises must do (the reference passes the grade cells, each mistake is
named on the visible and hidden seeds, a hard-coded answer fails, the student version keeps
its def lines) is checked for all lessons at once by tests/lessons/test_lesson_contract.py.
"""
from autograder.exercises import all_exercises

LESSON = "01_single_neuron"
FUNCTIONS = ("gradient_descent_1d", "neuron_forward", "neuron_example_gradients",
             "neuron_sgd_step", "neuron_gd_step")


def test_are_all_five_exercises_registered_under_the_lesson_id():
    """Does the registry hold exactly the five lesson-1 functions, with ids lesson.function?"""
    ours = [e for e in all_exercises() if e.lesson == LESSON]
    assert sorted(e.id for e in ours) == sorted(f"{LESSON}.{name}" for name in FUNCTIONS)
    assert all(e.function == e.id.split(".", 1)[1] for e in ours)


# --- the edge inputs the docstrings name --------------------------------------------------------

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.activations import sigmoid  # noqa: E402
from autograder.checks import CheckFailed, check_exercise  # noqa: E402
from autograder.exercises import get  # noqa: E402


def _forward_exp_ratio(w, b, x):
    """The sigmoid written as e^z / (1 + e^z): inf / inf = nan once z passes about 709."""
    z = w * x + b
    with np.errstate(over="ignore", invalid="ignore"):
        return z, np.exp(z) / (1 + np.exp(z))


def _forward_always_array(w, b, x):
    """np.atleast_1d: a float observation comes back as arrays of shape (1,)."""
    z = w * np.atleast_1d(x) + b
    return z, sigmoid(z)


def test_do_the_visible_seeds_hold_logits_of_plus_and_minus_800_and_a_float_observation():
    """Do the visible cases of neuron_forward include z = +800 and -800 exactly, and x as one
    float (the docstring's "float or (m,) ndarray")?"""
    exercise = get(f"{LESSON}.neuron_forward")
    edges = exercise.inputs(1)
    z = edges["w"] * edges["x"] + edges["b"]
    assert 800.0 in z and -800.0 in z
    assert isinstance(exercise.inputs(2)["x"], float)


@pytest.mark.parametrize("wrong, family", [(_forward_exp_ratio, "unstable_numerics"),
                                           (_forward_always_array, "wrong_return_type")])
def test_are_an_overflowing_sigmoid_and_an_array_for_a_float_caught_by_the_visible_cells(
        wrong, family):
    """Does each fail the lesson's visible values cell (seeds 0, 1, 2), named?"""
    with pytest.raises(CheckFailed) as caught:
        check_exercise(f"{LESSON}.neuron_forward", wrong, seeds=[0, 1, 2], quiet=True)
    assert caught.value.mistake == family
