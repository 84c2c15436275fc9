"""Tests of the exercises of lesson 6 (autograder/exercises/lesson06.py).

Does the reference pass every check? Does every registered mistake fail with a message that names
it, on the worked example and on every hidden seed? Does a hard-coded answer fail the hidden
tests? Do the inputs have the properties that keep the mistakes apart?
"""
import numpy as np
import pytest

from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, all_exercises, get
from autograder.exercises import lesson06
from autograder.reference import mlp as ref

LESSON = lesson06.LESSON
EXERCISES = [ex for ex in all_exercises() if ex.lesson == LESSON]
SEEDS = (VISIBLE_SEED, *lesson06.HIDDEN_SEEDS)
MISTAKES = [(ex, wrong) for ex in EXERCISES for wrong in ex.mistakes]


def _ids(pairs):
    return [f"{ex.function}-{wrong.key}" for ex, wrong in pairs]


def _as_arrays(result):
    """A result as a list of float64 arrays (dict values, tuple items or one array)."""
    if isinstance(result, dict):
        values = result.values()
    elif isinstance(result, tuple):
        values = result
    else:
        values = [result]
    return [np.asarray(v, dtype=np.float64) for v in values]


def _same(a, b):
    a, b = _as_arrays(a), _as_arrays(b)
    return len(a) == len(b) and all(x.shape == y.shape and np.allclose(x, y, rtol=1e-6,
                                                                          atol=1e-9)
                                    for x, y in zip(a, b))


def test_are_both_exercises_registered():
    """Does the lesson register the two exercises its notebook grades?"""
    assert sorted(ex.function for ex in EXERCISES) == ["minibatch_gradient", "sgd_epoch"]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_the_reference_pass_every_check(exercise, capsys):
    """Does the reference pass the shape and value checks, visible and hidden?"""
    for part in ("shape", "values"):
        check_exercise(exercise.id, exercise.reference, part=part)  # raises if it fails
        check_exercise(exercise.id, exercise.reference, part=part,
                       seeds=lesson06.HIDDEN_SEEDS, hidden=True)
    assert capsys.readouterr().out.count("\u2714") == 4


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=_ids(MISTAKES))
def test_does_each_mistake_differ_from_the_reference_on_every_seed(exercise, wrong):
    """Is every mistake distinguishable from the right answer on every visible and hidden seed?"""
    for seed in SEEDS:
        right = exercise.reference(*exercise.inputs(seed).values())
        assert not _same(wrong.fn(*exercise.inputs(seed).values()), right), seed


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=_ids(MISTAKES))
def test_does_each_mistake_fail_with_a_message_that_names_it(exercise, wrong):
    """Does check_exercise reject every mistake, naming it and its section, visible and hidden?"""
    with pytest.raises(CheckFailed) as visible:
        check_exercise(exercise.id, wrong.fn, quiet=True)
    assert wrong.message in str(visible.value)
    assert "Where to look: Section" in str(visible.value)
    for seed in lesson06.HIDDEN_SEEDS:
        with pytest.raises(CheckFailed) as hidden:
            check_exercise(exercise.id, wrong.fn, seeds=[seed], hidden=True, quiet=True)
        assert wrong.message in str(hidden.value)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_a_hard_coded_answer_fail_the_hidden_tests(exercise):
    """Does returning the worked example's answer pass visibly but fail every hidden seed?"""
    answer = exercise.reference(*exercise.inputs(VISIBLE_SEED).values())

    def hard_coded(*args):
        return answer

    check_exercise(exercise.id, hard_coded, quiet=True)  # passes on the worked example
    for seed in lesson06.HIDDEN_SEEDS:
        with pytest.raises(CheckFailed):
            check_exercise(exercise.id, hard_coded, seeds=[seed], hidden=True, quiet=True)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_an_unanswered_exercise_say_it_is_not_written_yet(exercise):
    """Does a function that raises NotImplementedError get the 'not written yet' message?"""
    def unanswered(*args):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not written yet"):
        check_exercise(exercise.id, unanswered, part="shape")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_is_the_visible_example_different_from_every_hidden_one(exercise):
    """Does every hidden seed draw inputs different from the worked example's?"""
    def first_array(inputs):
        return next(v for v in inputs.values() if isinstance(v, np.ndarray)) \
            if any(isinstance(v, np.ndarray) for v in inputs.values()) \
            else next(iter(inputs["params"].values()))

    visible = first_array(exercise.inputs(VISIBLE_SEED))
    for seed in lesson06.HIDDEN_SEEDS:
        hidden = first_array(exercise.inputs(seed))
        assert hidden.shape != visible.shape or not np.allclose(hidden, visible)


@pytest.mark.parametrize("seed", SEEDS)
def test_is_there_always_a_smaller_last_batch(seed):
    """Does every worked example and hidden seed have a batch size that does not divide n?"""
    for name in ("minibatch_gradient", "sgd_epoch"):
        mb = get(f"{LESSON}.{name}").inputs(seed)
        assert mb["X"].shape[1] % mb["batch_size"] != 0  # a smaller last batch exists


def test_are_the_hidden_seeds_the_lessons_own():
    """Are lesson 6's hidden seeds its own, not lesson 5's (so the two cannot be confused)?"""
    from autograder.exercises import lesson05

    assert set(lesson06.HIDDEN_SEEDS).isdisjoint(lesson05.HIDDEN_SEEDS)
    assert all(ex.id.startswith("06_minibatch_sgd.") for ex in EXERCISES)


def test_does_a_different_sampling_call_fail_the_minibatch_check():
    """Is a batch drawn another way (a permutation prefix) refused, as the docstring warns?"""
    def by_permutation(params, X, Y, activations, loss, batch_size, rng):
        idx = rng.permutation(X.shape[1])[:batch_size]
        return ref.mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)

    with pytest.raises(CheckFailed):
        check_exercise(f"{LESSON}.minibatch_gradient", by_permutation, quiet=True)
