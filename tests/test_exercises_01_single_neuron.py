"""The exercises of lesson 01_single_neuron: references pass, every known mistake is named.

For each registered exercise: the reference passes ``check_exercise`` on the worked example and
on hidden seeds; each Mistake differs from the reference there and fails with a message that
contains its own text; an answer hard-coded from the worked example fails the hidden seeds; and
the lesson's ``def`` lines and section titles agree with the registry.
"""
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, all_exercises, get
from autograder.exercises import lesson01

LESSON = "01_single_neuron"
SOURCE = Path(__file__).resolve().parent.parent / "course" / "source" / LESSON / f"{LESSON}.py"
FUNCTIONS = ("gradient_descent_1d", "neuron_forward", "neuron_example_gradients",
             "neuron_sgd_step", "neuron_gd_step")
#: The hidden seeds of the grade cells plus a few more, so inputs are not tuned to three draws.
SEEDS = (VISIBLE_SEED,) + lesson01.HIDDEN_SEEDS + (7, 99, 2024)

EXERCISES = [get(f"{LESSON}.{name}") for name in FUNCTIONS]
MISTAKES = [(exercise, wrong) for exercise in EXERCISES for wrong in exercise.mistakes]


MISTAKE_IDS = [f"{exercise.function}-{wrong.key}" for exercise, wrong in MISTAKES]


def _ids(exercise):
    return exercise.function


def _as_parts(result):
    return [np.asarray(part, dtype=np.float64)
            for part in (result if isinstance(result, tuple) else (result,))]


def test_are_all_five_exercises_registered_under_the_lesson_id():
    """Does the registry hold exactly the five lesson-1 functions, with ids lesson.function?"""
    ours = sorted(e.id for e in all_exercises() if e.lesson == LESSON)
    assert ours == sorted(f"{LESSON}.{name}" for name in FUNCTIONS)
    assert all(e.function == e.id.split(".", 1)[1] for e in EXERCISES)


def test_do_hidden_seeds_differ_from_the_worked_example():
    """Are the hidden seeds nonzero and distinct, so that they draw fresh inputs?"""
    assert VISIBLE_SEED not in lesson01.HIDDEN_SEEDS
    assert len(set(lesson01.HIDDEN_SEEDS)) == len(lesson01.HIDDEN_SEEDS) == 3


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_are_inputs_reproducible_and_named_like_the_reference_arguments(exercise):
    """Does a seed always draw the same inputs, named and ordered like the reference's args?"""
    first, again = exercise.inputs(3), exercise.inputs(3)
    assert list(first) == list(again)
    for name in first:
        if callable(first[name]):
            assert first[name](0.7) == again[name](0.7)
        else:
            np.testing.assert_array_equal(first[name], again[name])
    parameters = list(inspect.signature(exercise.reference).parameters)
    assert parameters[:len(first)] == list(first)


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_does_the_reference_pass_its_own_checks(exercise, capsys):
    """Does the reference pass the shape and value checks, visible and hidden?"""
    check_exercise(exercise.id, exercise.reference, part="shape")      # raises if it fails
    check_exercise(exercise.id, exercise.reference, part="values")
    check_exercise(exercise.id, exercise.reference, part="values", seeds=SEEDS[1:], hidden=True)
    assert capsys.readouterr().out.count("\u2714") == 3


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=MISTAKE_IDS)
def test_does_each_mistake_differ_from_the_reference(exercise, wrong):
    """Is every mistake's output different from the reference on every seed we grade with?"""
    for seed in SEEDS:
        inputs = exercise.inputs(seed)
        expected = _as_parts(exercise.reference(*inputs.values()))
        variant = _as_parts(wrong.fn(*exercise.inputs(seed).values()))
        same = len(variant) == len(expected) and all(
            v.shape == e.shape and np.allclose(v, e, rtol=exercise.rtol, atol=exercise.atol)
            for v, e in zip(variant, expected))
        assert not same, f"{wrong.key} equals the reference on seed {seed}"


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=MISTAKE_IDS)
def test_is_each_mistake_named_when_a_student_makes_it(exercise, wrong):
    """Does check_exercise fail a planted mistake with its message, visible and hidden?"""
    for seed, hidden in [(VISIBLE_SEED, False)] + [(s, True) for s in SEEDS[1:]]:
        with pytest.raises(CheckFailed) as failure:
            check_exercise(exercise.id, wrong.fn, part="values", seeds=[seed], hidden=hidden,
                           quiet=True)
        message = str(failure.value)
        assert wrong.message in message, f"seed {seed}: {message}"
        assert "Where to look: Section" in message


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_does_a_hard_coded_worked_example_fail_the_hidden_tests(exercise):
    """Does returning the worked example's answer, whatever the inputs, fail on hidden seeds?"""
    answer = exercise.reference(*exercise.inputs(VISIBLE_SEED).values())

    def hard_coded(*args):
        return answer

    check_exercise(exercise.id, hard_coded, part="values", quiet=True)  # the worked example passes
    for seed in lesson01.HIDDEN_SEEDS:
        with pytest.raises(CheckFailed):
            check_exercise(exercise.id, hard_coded, part="values", seeds=[seed], hidden=True,
                           quiet=True)


def test_is_an_unanswered_exercise_reported_as_not_written_yet():
    """Does the NotImplementedError of the student template give the 'not written yet' note?"""
    def gradient_descent_1d(dJ, w0, lr, n_iter):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not written yet"):
        check_exercise(f"{LESSON}.gradient_descent_1d", gradient_descent_1d, part="shape")


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_does_the_lesson_define_the_function_with_the_registered_arguments(exercise):
    """Does the lesson's def line take exactly the arguments the grader passes, in order?"""
    source = SOURCE.read_text(encoding="utf-8")
    match = re.search(rf"^def {exercise.function}\(([^)]*)\):", source, flags=re.MULTILINE)
    assert match, f"no `def {exercise.function}(...)` in {SOURCE.name}"
    arguments = [a.strip() for a in match.group(1).split(",") if a.strip()]
    assert arguments == list(exercise.inputs())


def test_do_the_feedback_sections_exist_in_the_lesson():
    """Is every 'Where to look' section a heading of the lesson, with the same title?"""
    source = SOURCE.read_text(encoding="utf-8")
    headings = set(re.findall(r"^# ## (\d+)\. (.+)$", source, flags=re.MULTILINE))
    wheres = {wrong.where or exercise.where for exercise, wrong in MISTAKES}
    wheres |= {exercise.where for exercise in EXERCISES}
    for where in wheres:
        number, title = re.fullmatch(r"Section (\d+), '(.+)'", where).groups()
        assert (number, title) in headings, f"{where} is not a heading of the lesson"


def test_do_the_grade_cells_use_the_registered_hidden_seeds():
    """Do the lesson's hidden tests draw the seeds the registry declares (not the visible one)?"""
    source = SOURCE.read_text(encoding="utf-8")
    hidden_blocks = re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", source,
                               flags=re.DOTALL)
    assert len(hidden_blocks) == len(FUNCTIONS)
    for block in hidden_blocks:
        assert "HIDDEN_SEEDS" in block or str(list(lesson01.HIDDEN_SEEDS)) in block
