"""Specification of the mistake families the checks recognise in every exercise (no registered
variant needed), and of the catalogue's builders (autograder/mistakes.py).

Throwaway exercises (ids ``test_families.*``) are registered for this module only.
"""
from functools import partial

import numpy as np
import pytest

from autograder import exercises as _exercises
from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import Exercise
from autograder.mistakes import learning_rate_mistakes, missing_layer


def pair(W, x):
    """Reference: (Z, S) = (W x, the per-example sums of W x), examples as columns."""
    Z = W @ x
    return Z, Z.sum(axis=0)


def pair_inputs(rng):
    return {"W": rng.standard_normal((3, 4)), "x": rng.standard_normal((4, 5))}


def path(w0, lr, n_iter):
    """Reference: the path of gradient descent on w^2 / 2, n_iter + 1 values."""
    values = [float(w0)]
    for _ in range(int(n_iter)):
        values.append(values[-1] - lr * values[-1])
    return np.array(values)


PAIR = Exercise(id="test_families.pair", function="pair", reference=pair,
                make_inputs=pair_inputs, outputs=("Z", "S"), where="Section 1, 'Pairs'",
                mistakes=())
PATH = Exercise(id="test_families.path", function="path", reference=path,
                make_inputs=lambda rng: {"w0": 2.0, "lr": 0.3, "n_iter": 5},
                outputs=("path",), where="Section 2, 'Paths'",
                mistakes=learning_rate_mistakes(path, "Section 2, 'Paths'"))


@pytest.fixture(scope="module", autouse=True)
def registered():
    with pytest.MonkeyPatch.context() as patch:
        for exercise in (PAIR, PATH):
            patch.setitem(_exercises._REGISTRY, exercise.id, exercise)
        yield


def failed(exercise, fn, **kwargs):
    with pytest.raises(CheckFailed) as error:
        check_exercise(exercise.id, fn, quiet=True, **kwargs)
    return error.value


def test_are_right_arrays_in_each_others_places_named_swapped_outputs():
    """Does returning (S, Z) for (Z, S) name swapped_outputs, not a wrong value?"""
    error = failed(PAIR, lambda W, x: pair(W, x)[::-1])
    assert error.mistake == "swapped_outputs" and "in each other's places" in str(error)


def test_is_a_flat_copy_of_the_right_array_named_wrong_shape():
    """Does Z.ravel() (the right numbers, another shape) name wrong_shape?"""
    error = failed(PAIR, lambda W, x: (pair(W, x)[0].ravel(), pair(W, x)[1]), part="shape")
    assert error.mistake == "wrong_shape"


def test_is_the_mean_over_the_examples_named_reduced_mean():
    """Does S.mean() (one number where one per example is asked) name reduced_mean?"""
    error = failed(PAIR, lambda W, x: (pair(W, x)[0], pair(W, x)[1].mean()), part="shape")
    assert error.mistake == "reduced_mean"


@pytest.mark.parametrize("cut", [slice(1, None), slice(None, -1)])
def test_is_a_path_one_value_short_named_iteration_count(cut):
    """Does a path without its first or its last value name iteration_count?"""
    error = failed(PATH, lambda w0, lr, n_iter: path(w0, lr, n_iter)[cut], part="shape")
    assert error.mistake == "iteration_count"


def test_is_a_wrong_shape_located_by_the_argument_axis_it_matches():
    """Does Z built from x's row count (4) where W's (3) belongs say which axis has that size,
    without naming a mistake?"""
    error = failed(PAIR, lambda W, x: (np.ones((4, 5)), pair(W, x)[1]), part="shape")
    assert error.mistake is None and error.located
    assert "axis 0 of `Z` has size 4 where 3 belongs" in str(error)
    assert "axis 1 of `W`" in str(error) and "axis 0 of `x`" in str(error)


def test_are_a_changed_argument_a_bool_array_and_nan_named():
    """Do an argument changed in place, booleans for floats and NaN name their families?"""
    def in_place(W, x):
        W *= 1.0
        x[0, 0] += 1.0
        return pair(W, x)

    assert failed(PAIR, in_place).mistake == "mutates_input"
    assert failed(PAIR, lambda W, x: (pair(W, x)[0] > 0, pair(W, x)[1])).mistake \
        == "wrong_return_type"
    assert failed(PAIR, lambda W, x: (pair(W, x)[0] * np.nan, pair(W, x)[1])).mistake \
        == "unstable_numerics"


def test_does_learning_rate_mistakes_negate_and_zero_the_rate_by_its_name():
    """Does the builder find ``lr`` by name (also through a partial and keywords), giving the
    uphill path and the path that never moves, both named by the checks?"""
    ascent, still = learning_rate_mistakes(path, "Section 2, 'Paths'")
    assert np.allclose(ascent.fn(2.0, 0.3, 3), path(2.0, -0.3, 3))
    assert np.allclose(still.fn(w0=2.0, lr=0.3, n_iter=3), [2.0] * 4)
    assert (ascent.key, still.key) == ("gradient_ascent", "no_update")
    fixed = partial(path, n_iter=2)
    assert np.allclose(learning_rate_mistakes(fixed)[0].fn(1.0, 0.5), path(1.0, -0.5, 2))
    assert failed(PATH, ascent.fn).mistake == "gradient_ascent"
    with pytest.raises(ValueError):
        learning_rate_mistakes(pair)


def test_is_the_summed_gradient_the_step_n_times_too_long():
    """With ``examples=("X", -1)``, is sum_not_mean the step with the summed gradient?"""
    def mean_step(w, X, lr):
        return w - lr * X.mean(axis=-1)

    X = np.arange(12.0).reshape(3, 4)
    summed = learning_rate_mistakes(mean_step, examples=("X", -1))[2]
    assert summed.key == "sum_not_mean"
    assert np.allclose(summed.fn(np.ones(3), X, 0.1), np.ones(3) - 0.1 * X.sum(axis=-1))


def test_is_a_missing_end_layer_told_from_other_missing_keys():
    """Is a missing first or last layer ('dW1', 'db1') an off-by-one, and a gap or a
    non-layer key not?"""
    assert missing_layer(["dW1", "db1"], ["dW2", "db2", "dW3", "db3"])
    assert missing_layer(["dW3"], ["dW1", "db1", "dW2", "db2", "db3"])
    assert not missing_layer(["dW2", "db2"], ["dW1", "db1", "dW3", "db3"])
    assert not missing_layer(["grads"], ["dW1"])


def step(w, b, x, lr):
    """Reference: one gradient step on (w x + b)^2 / 2 for one number x."""
    r = w * x + b
    return w - lr * r * x, b - lr * r


def step_without_x(w, b, x, lr):
    """A registered variant: the step for w misses the factor x."""
    r = w * x + b
    return w - lr * r, b - lr * r


def test_is_a_variant_named_only_when_every_output_matches_it():
    """Is a registered variant that gives the student's w but not the student's b left
    unnamed, the message saying which output is wrong instead? (At x = 1 the variant "w's step
    misses x" gives the right w; crossing the gradients gives the variant's w too, since
    r x = r, but a wrong b.)"""
    from autograder.mistakes import mistake

    named = mistake("forgotten_chain_factor", step_without_x, "Section 3, 'Steps'")
    exercise = Exercise(id="test_families.step", function="step", reference=step,
                        make_inputs=lambda rng: {"w": 0.5, "b": -0.25, "x": 2.0, "lr": 0.1},
                        outputs=("w", "b"), where="Section 3, 'Steps'", mistakes=(named,))
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(_exercises._REGISTRY, exercise.id, exercise)
        # Both outputs the variant's: named.
        error = failed(exercise, step_without_x)
        assert error.mistake == "forgotten_chain_factor"
        # w the variant's, b something else: not named; the message locates the difference.
        error = failed(exercise, lambda w, b, x, lr: (step_without_x(w, b, x, lr)[0],
                                                      b + 1.0))
        assert error.mistake is None and error.located
        assert "`w` is wrong." in str(error) and "None of `w` and `b` is right yet." in str(error)
        # w the variant's, b right: still not named (b is not the variant's b).
        error = failed(exercise, lambda w, b, x, lr: (step_without_x(w, b, x, lr)[0],
                                                      step(w, b, x, lr)[1] + 0.5))
        assert error.mistake is None


def test_is_a_wrong_single_number_located_without_a_meaningless_ratio():
    """Is one wrong number told as wrong, with a ratio only when the ratio is a simple factor
    (every wrong number is "some constant times" the right one)?"""
    from autograder.mistakes import locate

    one = np.array(0.3)
    assert locate("w", np.array(0.9597), one, 1e-6, 1e-9) == "`w` is wrong."
    assert "exactly 2 times" in locate("w", np.array(0.6), one, 1e-6, 1e-9)
    assert "exactly 0.25 times" in locate("w", np.array(0.075), one, 1e-6, 1e-9)
    assert "opposite sign" in locate("w", np.array(-0.3), one, 1e-6, 1e-9)


def test_is_a_column_for_a_row_with_the_same_numbers_named_a_transpose():
    """Is a column (n, 1) holding the right row (1, n) named missing_transpose (a product
    written the other way round), while a flat vector with the same numbers is wrong_shape?"""
    error = failed(PAIR, lambda W, x: (pair(W, x)[0], pair(W, x)[1].reshape(1, -1).T))
    # S is 1-D here: a (5, 1) column for the (5,) vector is a shape slip, not a transpose
    assert error.mistake == "wrong_shape"
    row = Exercise(id="test_families.row", function="row", reference=lambda W, x: W[:1] @ x,
                   make_inputs=pair_inputs, outputs=("r",), where="Section 1, 'Pairs'",
                   mistakes=())
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(_exercises._REGISTRY, row.id, row)
        assert failed(row, lambda W, x: (W[:1] @ x).T).mistake == "missing_transpose"
        assert failed(row, lambda W, x: (W[:1] @ x).ravel()).mistake == "wrong_shape"


def test_is_a_diagonal_matrix_located_by_its_diagonal_not_by_its_right_zeros():
    """For an expected diagonal matrix (an elementwise activation's Jacobian), are the zeros off
    the diagonal kept out of "entries right", and the wrong diagonal entries named?"""
    from autograder.mistakes import locate

    expected = np.diag([0.10, 0.20, 0.25, 0.15])
    every = locate("J", np.diag([0.5, 0.6, 0.7, 0.8]), expected, 1e-6, 1e-9)
    assert every == "The off-diagonal zeros of `J` are right; every diagonal entry is wrong."
    one = expected.copy()
    one[2, 2] = 0.9
    assert "diagonal entry 2 is wrong, the others are right" in locate("J", one, expected,
                                                                       1e-6, 1e-9)
    full = expected + 0.01
    assert "12 of its 12 off-diagonal entries are not 0" in locate("J", full, expected,
                                                                   1e-6, 1e-9)
    # a square matrix that is not diagonal keeps the rows-and-columns description
    dense = np.arange(1.0, 10.0).reshape(3, 3)
    wrong_row = dense.copy()
    wrong_row[1] *= 3
    assert locate("W", wrong_row, dense, 1e-6, 1e-9).startswith("Row 1 of `W` is wrong")
