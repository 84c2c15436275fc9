"""What is particular to the exercises of lesson 6 (autograder/exercises/lesson06.py): a smaller
last batch on every seed, and the one way of drawing a batch the docstring asks for.

What every lesson's exercises must do is checked for all lessons at once by
tests/lessons/test_lesson_contract.py.
"""
import pytest

from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, all_exercises, get
from autograder.exercises import lesson06
from autograder.reference import mlp as ref

LESSON = lesson06.LESSON
EXERCISES = [ex for ex in all_exercises() if ex.lesson == LESSON]
SEEDS = (VISIBLE_SEED, *lesson06.HIDDEN_SEEDS)
MISTAKES = [(ex, wrong) for ex in EXERCISES for wrong in ex.mistakes]


def test_are_both_exercises_registered():
    """Does the lesson register the two exercises its notebook grades?"""
    assert sorted(ex.function for ex in EXERCISES) == ["minibatch_gradient", "sgd_epoch"]


@pytest.mark.parametrize("seed", SEEDS)
def test_is_there_always_a_smaller_last_batch(seed):
    """Does every worked example and hidden seed have a batch size that does not divide n?"""
    for name in ("minibatch_gradient", "sgd_epoch"):
        mb = get(f"{LESSON}.{name}").inputs(seed)
        assert mb["X"].shape[1] % mb["batch_size"] != 0  # a smaller last batch exists


def test_does_a_different_sampling_call_fail_the_minibatch_check():
    """Is a batch drawn another way (a permutation prefix) refused, as the docstring warns?"""
    def by_permutation(params, X, Y, activations, loss, batch_size, rng):
        idx = rng.permutation(X.shape[1])[:batch_size]
        return ref.mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)

    with pytest.raises(CheckFailed):
        check_exercise(f"{LESSON}.minibatch_gradient", by_permutation, quiet=True)


def test_does_the_lesson_show_no_backpropagation_of_lesson_5():
    """Lesson 6 takes its gradients from autograder.autodiff: no code cell of the student
    version multiplies by a transpose, as lesson 5's answers do (the delta recursion's
    W^T Delta, the gradient Delta F^T). The version that gave lesson 5's backpropagation as a
    "summary" had three such lines."""
    import json
    import re

    from layout import REPO

    path = REPO / "notebooks" / LESSON / f"{LESSON}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    transposed = re.compile(r"\.T\b|np\.transpose|\.transpose\(")
    shown = [line.strip() for cell in cells if cell["cell_type"] == "code"
             for line in "".join(cell["source"]).splitlines() if transposed.search(line)]
    assert not shown, shown
    assert any("from autograder.autodiff import" in "".join(cell["source"]) for cell in cells)
