"""The exercises of lesson 02_hidden_layer: does the grading accept the right answer, name every
known mistake, and refuse an answer hard-coded from the worked example?"""
import copy
import re
from pathlib import Path

import numpy as np
import pytest

from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, all_exercises, get
from autograder.exercises import lesson02

LESSON = "02_hidden_layer"
LESSON_SOURCE = Path(__file__).resolve().parent.parent / "course" / "source" / LESSON / \
    f"{LESSON}.py"
#: The seeds of the lesson's hidden tests (read from the lesson below) and a few more.
HIDDEN_SEEDS = (201, 202, 203)
EXTRA_SEEDS = (1, 2, 3, 4, 5, 6, 7, 8)

EXERCISES = [ex for ex in all_exercises() if ex.lesson == LESSON]
#: Mistakes that are no mistake for the ReLU: its derivative is a step, so relu'(relu(z)) =
#: relu'(z), and at one example relu'(y_hat) can equal relu'(z^(1)) too.
RELU_BLIND = ("sigma_prime_at_a", "h_prime_wrong_layer")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.function)
def test_do_the_grade_cells_seeds_exercise_every_activation_the_lesson_offers(exercise):
    """Do the visible seeds (0, 1, 2) and the hidden ones each cover sigmoid, tanh and relu?"""
    for seeds in ((VISIBLE_SEED, 1, 2), HIDDEN_SEEDS):
        assert {exercise.inputs(s)["activation"] for s in seeds} == {"sigmoid", "tanh", "relu"}
CASES = [(ex, m) for ex in EXERCISES for m in ex.mistakes]


def _id(value):
    if isinstance(value, tuple):
        return f"{value[0].function}-{value[1].key}-{value[1].fn.__name__}"
    return value.function


def _outputs(exercise, fn, seed):
    """The named components of ``fn``'s result on the exercise's inputs for ``seed``."""
    inputs = exercise.inputs(seed)
    result = fn(*copy.deepcopy(list(inputs.values())))
    if isinstance(result, dict):
        return [np.asarray(result[k], dtype=np.float64) for k in exercise.outputs]
    if isinstance(result, tuple):
        return [np.asarray(r, dtype=np.float64) for r in result]
    return [np.asarray(result, dtype=np.float64)]


def _same(a, b, exercise):
    return all(x.shape == y.shape and np.allclose(x, y, rtol=exercise.rtol, atol=exercise.atol)
               for x, y in zip(a, b))


def test_does_the_lesson_register_at_least_four_exercises():
    """Are there at least four autograded exercises, each with known mistakes?"""
    assert len(EXERCISES) >= 4
    assert all(ex.mistakes for ex in EXERCISES)


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_does_the_reference_pass_on_visible_and_hidden_seeds(exercise, capsys):
    """Does the reference pass check_exercise, shapes and values, on every seed?"""
    for part in ("shape", "values"):
        check_exercise(exercise.id, exercise.reference, part=part)
        check_exercise(exercise.id, exercise.reference, part=part,
                       seeds=HIDDEN_SEEDS + EXTRA_SEEDS, hidden=True)
    assert capsys.readouterr().out.count("\u2714") == 4


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
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


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_is_every_mistake_distinguishable_from_the_reference(case):
    """Does each wrong variant give a different answer on the worked example and hidden seeds?"""
    exercise, wrong = case
    for seed in (VISIBLE_SEED,) + HIDDEN_SEEDS + EXTRA_SEEDS:
        if exercise.inputs(seed)["activation"] == "relu" and wrong.key in RELU_BLIND:
            continue
        assert not _same(_outputs(exercise, wrong.fn, seed),
                         _outputs(exercise, exercise.reference, seed), exercise), seed


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_is_every_mistake_named_when_a_student_makes_it(case):
    """Does check_exercise fail on each wrong variant with a message naming that mistake?"""
    exercise, wrong = case
    assert wrong.where, "every mistake says where the lesson explains the right version"
    for seeds, hidden in (([VISIBLE_SEED], False), (HIDDEN_SEEDS, True)):
        with pytest.raises(CheckFailed) as failure:
            check_exercise(exercise.id, wrong.fn, part="values", seeds=seeds, hidden=hidden,
                           quiet=True)
        message = str(failure.value)
        assert wrong.message in message
        assert wrong.where in message


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_does_an_answer_hard_coded_from_the_worked_example_fail_the_hidden_seeds(exercise):
    """Does returning the worked example's answer pass visibly but fail the hidden tests?"""
    visible = exercise.reference(*exercise.inputs(VISIBLE_SEED).values())

    def hard_coded(*args):
        return copy.deepcopy(visible)

    check_exercise(exercise.id, hard_coded, quiet=True)
    with pytest.raises(CheckFailed, match="on hidden test inputs"):
        check_exercise(exercise.id, hard_coded, seeds=HIDDEN_SEEDS, hidden=True, quiet=True)


def test_does_the_sgd_step_catch_the_slip_of_the_notes():
    """Is h'(z^(2)) in the hidden update (slip S1) reported as h_prime_wrong_layer?"""
    with pytest.raises(CheckFailed, match=r"h'\(z\^\(2\)\) where h'\(z\^\(1\)\) belongs"):
        check_exercise(f"{LESSON}.hidden_sgd_step", lesson02.step_h_prime_wrong_layer,
                       quiet=True)


def test_do_hidden_messages_keep_the_expected_values_secret():
    """Does a failing hidden test say nothing about the expected values?"""
    exercise = get(f"{LESSON}.hidden_layer_gradients")
    with pytest.raises(CheckFailed) as failure:
        check_exercise(exercise.id, lesson02.hidden_sum_not_mean, seeds=HIDDEN_SEEDS,
                       hidden=True, quiet=True)
    assert "expected dW1" not in str(failure.value)


# --- the lesson uses the registry the way these tests assume -----------------------------------

def _lesson_text():
    if not LESSON_SOURCE.is_file():
        pytest.skip("the lesson source is not written yet")
    return LESSON_SOURCE.read_text()


def test_does_the_lesson_grade_every_registered_exercise_on_visible_and_hidden_seeds():
    """Has every exercise a shape cell, a values cell and hidden tests on the seeds tested here?"""
    text = _lesson_text()
    for exercise in EXERCISES:
        calls = re.findall(rf'check_exercise\("{re.escape(exercise.id)}",\s*\w+,\s*([^)]*)\)',
                           text)
        parts = " ".join(calls)
        assert 'part="shape"' in parts and 'part="values"' in parts, exercise.id
        hidden = [c for c in calls if "hidden=True" in c]
        assert hidden, f"{exercise.id} has no hidden test"
        for call in hidden:
            seeds = tuple(int(s) for s in re.search(r"seeds=\[([^\]]*)\]", call)
                          .group(1).split(","))
            assert seeds == HIDDEN_SEEDS and VISIBLE_SEED not in seeds


def test_does_the_lesson_keep_away_from_the_reference():
    """Does the lesson avoid importing autograder.reference (the grader's answers)?"""
    assert "autograder.reference" not in _lesson_text()
