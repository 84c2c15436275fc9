"""What is particular to the exercises of lesson 03_logistic_regression: shape mistakes caught by
the shape check, a cost that must be stable at extreme logits, a prediction rule exact at one
half, mistakes that stay apart from each other.

What every lesson's exercises must do is checked for all lessons at once by
tests/lessons/test_lesson_contract.py.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograder.activations import sigmoid
from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, get
from autograder.exercises import lesson03 as lesson
from autograder.reference import logistic as ref

EXERCISES = lesson.EXERCISES
IDS = [exercise.id for exercise in EXERCISES]
SEEDS = (VISIBLE_SEED, *lesson.HIDDEN_SEEDS)
#: Mistakes that change a shape: the shape check (worked example only) already names them.
SHAPE_MISTAKES = [(exercise.id, wrong.key) for exercise in EXERCISES for wrong in exercise.mistakes
                  if wrong.key in ("missing_transpose", "forgotten_batch_sum", "costs_off_by_one")]


def _mistake(exercise_id, key):
    return next(w for w in get(exercise_id).mistakes if w.key == key)


@pytest.mark.parametrize("exercise_id,key", SHAPE_MISTAKES)
def test_is_a_mistake_that_changes_a_shape_named_by_the_shape_check(exercise_id, key):
    """Does the shape check fail a transpose, a forgotten batch sum or an off-by-one cost list
    with that mistake's message and section, before the values are looked at?"""
    assert SHAPE_MISTAKES
    wrong = _mistake(exercise_id, key)
    with pytest.raises(CheckFailed) as failure:
        check_exercise(exercise_id, wrong.fn, part="shape", quiet=True)
    assert wrong.message in str(failure.value) and wrong.where in str(failure.value)


# ---- the stability requirement of the cost exercise --------------------------------------------

def _naive_cost(w, b, X, y):
    """The textbook formula through probabilities: log(0) for the huge logits."""
    a = sigmoid(w.T @ X + b)
    return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))


@pytest.mark.parametrize("seed", SEEDS)
def test_does_the_naive_cost_fail_with_a_pointer_to_the_stable_form(seed):
    """Does -[y log a + (1 - y) log(1 - a)] fail on the huge logits, pointing to the stable form?"""
    with pytest.raises(CheckFailed, match="NaN or infinite.*autograder.losses"):
        check_exercise("03_logistic_regression.logistic_cost", _naive_cost, part="shape",
                       seeds=[seed], hidden=seed != VISIBLE_SEED, quiet=True)


def test_are_the_cost_inputs_really_extreme():
    """Do the cost inputs hold a confidently right (z > 40) and two confidently wrong examples
    (z < -745 with label 1, z = +800 with label 0), where sigma(z) rounds to 1 and to 0?"""
    for seed in SEEDS:
        inputs = get("03_logistic_regression.logistic_cost").inputs(seed)
        z = ref.logistic_logits(inputs["w"], inputs["b"], inputs["X"])
        assert z[0, -3] > 40 and sigmoid(z[0, -3]) == 1.0
        assert z[0, -2] < -745 and sigmoid(z[0, -2]) == 0.0
        assert z[0, -1] > 745 and sigmoid(z[0, -1]) == 1.0
        assert np.array_equal(inputs["y"][0, -3:], [1.0, 1.0, 0.0])


def _softplus_cost(w, b, X, y):
    """log(1 + exp(z)) - y z: right in exact arithmetic, inf at z = 800."""
    z = w.T @ X + b
    return float(np.mean(np.log(1.0 + np.exp(z)) - y * z))


@pytest.mark.parametrize("seed", SEEDS)
def test_does_an_overflowing_softplus_fail_on_the_logit_of_800(seed):
    """Does log(1 + exp(z)) - y z (inf at z = +800) fail, visibly and hidden?"""
    with pytest.raises(CheckFailed, match="NaN or infinite"):
        check_exercise("03_logistic_regression.logistic_cost", _softplus_cost, part="shape",
                       seeds=[seed], hidden=seed != VISIBLE_SEED, quiet=True)


@pytest.mark.parametrize("wrong", [
    lambda w, b, X: (w.T @ X + b > 0).astype(float),
    lambda w, b, X: np.round(sigmoid(w.T @ X + b)),
], ids=["z > 0", "round(sigmoid(z))"])
@pytest.mark.parametrize("seed", SEEDS)
def test_does_a_prediction_rule_wrong_at_a_half_fail(seed, wrong):
    """Is an example with a logit of exactly 0 (a = 1/2, label 1) in every predict case, so that
    `z > 0` and `round(sigmoid(z))` (1/2 rounds to 0) fail, pointing at the last entry?"""
    with pytest.raises(CheckFailed, match=r"Entry 8 of `y_hat` is wrong; the others are right"):
        check_exercise("03_logistic_regression.logistic_predict", wrong, seeds=[seed],
                       hidden=seed != VISIBLE_SEED, quiet=True)


@pytest.mark.parametrize("kind", [bool, np.int64])
def test_are_booleans_or_integers_refused_where_the_docstring_asks_for_floats(kind):
    """Does `(z >= 0)` returned as booleans (or integers) fail with a message on the dtype?"""
    with pytest.raises(CheckFailed, match="booleans|integers"):
        check_exercise("03_logistic_regression.logistic_predict",
                       lambda w, b, X: (w.T @ X + b >= 0).astype(kind), quiet=True)


def test_does_check_exercise_stay_silent_on_the_naive_cost():
    """Is no warning leaked when a student's cost takes log(0) (nbgrader zeroes stderr cells)?"""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CheckFailed):
            check_exercise("03_logistic_regression.logistic_cost", _naive_cost, quiet=True)


def test_does_a_student_dw_as_row_get_the_transpose_hint():
    """Is dw of shape (1, p) reported as a missing transpose, not only as a wrong shape?"""
    def dw_as_row(w, b, X, y):
        dw, db = ref.logistic_gradients(w, b, X, y)
        return dw.T, db

    with pytest.raises(CheckFailed, match="transpose"):
        check_exercise("03_logistic_regression.logistic_gradients", dw_as_row, part="shape",
                       quiet=True)


def test_is_db_as_a_size_one_array_refused():
    """Is db as a (1, 1) array (np.sum(..., keepdims=True)) refused, since the docstring asks
    for one number, and db as np.float64 accepted?"""
    def db_as_array(w, b, X, y):
        dw, db = ref.logistic_gradients(w, b, X, y)
        return dw, np.array([[db]])

    def db_as_float64(w, b, X, y):
        dw, db = ref.logistic_gradients(w, b, X, y)
        return dw, np.float64(db)

    with pytest.raises(CheckFailed, match="asks for one number"):
        check_exercise("03_logistic_regression.logistic_gradients", db_as_array, quiet=True)
    check_exercise("03_logistic_regression.logistic_gradients", db_as_float64, quiet=True)


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("seed", SEEDS)
def test_are_the_mistakes_of_an_exercise_distinguishable_from_each_other(exercise_id, seed):
    """Do two mistakes never give the same answer (so the feedback names the right one)?"""
    exercise = get(exercise_id)
    outputs = []
    for wrong in exercise.mistakes:
        value = wrong.fn(**exercise.inputs(seed))
        value = value if isinstance(value, tuple) else (value,)
        outputs.append((wrong.key, [np.asarray(v, dtype=float) for v in value]))
    for i, (key_i, out_i) in enumerate(outputs):
        for key_j, out_j in outputs[i + 1:]:
            same = all(a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-9)
                       for a, b in zip(out_i, out_j))
            assert not same, f"{key_i} and {key_j} coincide on seed {seed}"
