"""What is particular to the exercises of lesson 02_hidden_layer: three activations, inputs that
show transposes and biases, the slip of How to Fit a Neural Network.

What every lesson's exercises must do is checked for all lessons at once by
tests/lessons/test_lesson_contract.py (which also knows the mistakes that are none for the ReLU)."""
import numpy as np
import pytest

from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, all_exercises
from autograder.exercises import lesson02

LESSON = lesson02.LESSON
HIDDEN_SEEDS = lesson02.HIDDEN_SEEDS
#: Seeds beyond the grade cells', for the properties of the inputs.
EXTRA_SEEDS = (1, 2, 3, 4, 5, 6, 7, 8)

EXERCISES = [ex for ex in all_exercises() if ex.lesson == LESSON]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.function)
def test_do_the_grade_cells_seeds_exercise_every_activation_the_lesson_offers(exercise):
    """Do the visible seeds (0, 1, 2) and the hidden ones each cover sigmoid, tanh and relu?"""
    for seeds in ((VISIBLE_SEED, 1, 2), HIDDEN_SEEDS):
        assert {exercise.inputs(s)["activation"] for s in seeds} == {"sigmoid", "tanh", "relu"}


def test_does_the_lesson_register_at_least_four_exercises():
    """Are there at least four autograded exercises?"""
    assert len(EXERCISES) >= 4


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.function)
def test_do_the_inputs_make_transposes_and_biases_visible(exercise):
    """Is W1 never square, is n > 1 and different from p and d, and is every bias nonzero?"""
    for seed in (VISIBLE_SEED,) + HIDDEN_SEEDS + EXTRA_SEEDS:
        inputs = exercise.inputs(seed)
        if "params" in inputs:
            d, p = inputs["params"]["W1"].shape
            assert d != p
            assert np.all(inputs["params"]["b1"] != 0) and np.all(inputs["params"]["b2"] != 0)
            batch = inputs.get("X", inputs.get("x"))
            n = batch.shape[1]
            assert n == 1 if exercise.function == "hidden_sgd_step" else n not in (1, p, d)
        else:  # the shared weight
            assert len(inputs["c"]) >= 2 and len(inputs["x"]) > 1
            assert inputs["w"] != 0 and inputs["b"] != 0 and np.all(inputs["c"] != 0)


def test_does_the_sgd_step_catch_the_slip_of_the_notes():
    """Is h'(z^(2)) in the hidden update (slip S1) reported as h_prime_wrong_layer?"""
    with pytest.raises(CheckFailed, match=r"h'\(z\^\(2\)\) where h'\(z\^\(1\)\) belongs"):
        check_exercise(f"{LESSON}.hidden_sgd_step", lesson02.step_h_prime_wrong_layer,
                       quiet=True)
