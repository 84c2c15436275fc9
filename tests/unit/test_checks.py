"""Specification of autograder.checks: what a grade cell tells a student, in which order, and
that nothing but a right answer passes.

Three throwaway exercises are registered for the duration of this module only (ids
``test_lesson.*``), so the real registry that other tests walk is left as it was.
"""
import re
import sys
import warnings

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder import exercises as _exercises
from autograder.checks import CheckFailed, check_exercise, check_value, coerce_to_float_array
from autograder.exercises import VISIBLE_SEED, Exercise
from autograder.mistakes import CATALOGUE, mistake

SETTINGS = settings(max_examples=30, deadline=None)
HIDDEN_SEEDS = [101, 102, 103]


# --- the throwaway exercises -----------------------------------------------------------------

def affine(W, x, b):
    """Reference: Z = W x + b, examples as columns."""
    return W @ x + b


def affine_inputs(rng):
    return {"W": rng.standard_normal((3, 4)), "x": rng.standard_normal((4, 5)),
            "b": rng.standard_normal((3, 1))}


AFFINE_MISTAKES = {
    "forgotten_bias": mistake("forgotten_bias", lambda W, x, b: W @ x,
                              where="Section 2, 'The bias'"),
    "opposite_sign": mistake("opposite_sign", lambda W, x, b: -(W @ x + b)),  # no own 'where'
    "one_example_only": mistake(
        "one_example_only", lambda W, x, b: W @ x[:, :1] + b, where="Section 1, 'Columns'",
        message="only the first example (column) of x is used; every column is one example"),
}
AFFINE = Exercise(id="test_lesson.affine", function="affine", reference=affine,
                  make_inputs=affine_inputs, outputs=("Z",),
                  mistakes=tuple(AFFINE_MISTAKES.values()), where="Section 2, 'The affine map'")

# The step exercise always draws these module-level arrays: a student who mutates its
# arguments must not be able to change them.
STEP_W = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
STEP_DW = np.array([[0.2, 0.1, -0.4], [1.0, -0.5, 0.3]])


def step(w, dw, lr):
    """Reference: one gradient-descent step."""
    return w - lr * dw


STEP = Exercise(id="test_lesson.step", function="step", reference=step,
                make_inputs=lambda rng: {"w": STEP_W, "dw": STEP_DW, "lr": 0.1},
                outputs=("w_new",),
                mistakes=(mistake("no_update", lambda w, dw, lr: w),
                          mistake("gradient_ascent", lambda w, dw, lr: w + lr * dw)),
                where="Section 4, 'The update'")


def half_mse(y_hat, y):
    """Reference: a scalar cost, the mean of 1/2 (y_hat - y)^2."""
    return float(np.mean(0.5 * (y_hat - y) ** 2))


COST = Exercise(id="test_lesson.half_mse", function="half_mse", reference=half_mse,
                make_inputs=lambda rng: {"y_hat": rng.standard_normal((1, 6)),
                                         "y": rng.standard_normal((1, 6))},
                outputs=("J",),
                mistakes=(mistake("sum_not_mean",
                                  lambda y_hat, y: float(np.sum(0.5 * (y_hat - y) ** 2))),),
                where="Section 5, 'The cost'")

EXERCISES = (AFFINE, STEP, COST)


@pytest.fixture(scope="module", autouse=True)
def registered_test_exercises():
    """Register the throwaway exercises for this module only; the registry is restored after."""
    with pytest.MonkeyPatch.context() as patch:
        for exercise in EXERCISES:
            patch.setitem(_exercises._REGISTRY, exercise.id, exercise)
        yield


def expected_for(exercise, seed=VISIBLE_SEED):
    inputs = exercise.inputs(seed)
    return exercise.reference(*inputs.values())


def failure(exercise, fn, **kwargs):
    """The message of the CheckFailed that check_exercise raises (fails the test otherwise)."""
    with pytest.raises(CheckFailed) as error:
        check_exercise(exercise.id, fn, quiet=True, **kwargs)
    return str(error.value)


def returning(value_of):
    """A student function for AFFINE that returns value_of(expected Z, W, x, b)."""
    return lambda W, x, b: value_of(W @ x + b, W, x, b)


# --- the reference and equivalent answers ----------------------------------------------------

@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_does_the_reference_pass_both_parts_visible_and_hidden(exercise, capsys):
    """Does the reference pass part 'shape' and part 'values', on the worked example and hidden
    seeds, and print one success line each time?"""
    for part in ("shape", "values"):
        check_exercise(exercise.id, exercise.reference, part=part)
        check_exercise(exercise.id, exercise.reference, part=part, seeds=HIDDEN_SEEDS,
                       hidden=True)
    out = capsys.readouterr().out
    assert f"\u2714 {exercise.function}: types and shapes correct on the worked example." in out
    assert f"\u2714 {exercise.function}: values correct on 3 hidden test case(s)." in out


@pytest.mark.parametrize("call", [
    lambda: check_exercise(AFFINE.id, affine, quiet=True),
    lambda: check_value("eta", 0.1, 0.1, quiet=True),
], ids=["check_exercise", "check_value"])
def test_does_a_passing_check_return_none(call):
    """Does a pass return None (nbgrader would read True as 1 point of partial credit)?"""
    assert call() is None


def test_does_quiet_print_nothing(capsys):
    """With quiet=True, does a passing check print nothing at all?"""
    check_exercise(AFFINE.id, affine, quiet=True)
    assert capsys.readouterr().out == ""


def test_is_an_equivalent_formulation_accepted():
    """Does an answer computed in another order (rounding differs) pass?"""
    check_exercise(AFFINE.id, lambda W, x, b: (x.T @ W.T + b.T).T, quiet=True,
                   seeds=[VISIBLE_SEED] + HIDDEN_SEEDS)


# --- the order of the checks: return, type, shape, finiteness, values ------------------------

def test_does_returning_none_ask_about_the_return_statement():
    """Does a function without `return` get a message about `return`?"""
    assert "is None. Did you forget a `return` statement?" in failure(AFFINE, lambda W, x, b: None)


@pytest.mark.parametrize("value, expected_text", [
    (lambda Z: Z.tolist(), "is a list, not a numpy array: wrap it with np.array(...)"),
    (lambda Z: tuple(Z.ravel()), "is a tuple, not a numpy array: wrap it with np.array(...)"),
    (lambda Z: [Z], "is a list, not a numpy array: return the array itself, not a list of arrays"),
    (lambda Z: str(Z), "is a str; expected a number or a numpy array of numbers"),
    (lambda Z: object(), "is a object; expected a number or a numpy array of numbers"),
    (lambda Z: {"Z": Z}, "is a dict; expected a number or a numpy array of numbers"),
    (lambda Z: Z.astype(object), "is an array of dtype object; it should hold real numbers"),
    (lambda Z: Z.astype(str), "it should hold real numbers"),
    (lambda Z: Z + 0j, "is an array of dtype complex128; it should hold real numbers"),
])
def test_is_a_wrong_type_refused_with_a_message(value, expected_text):
    """Are lists, tuples, strings, objects, dicts, object/str/complex arrays each explained?"""
    message = failure(AFFINE, returning(lambda Z, W, x, b: value(Z)))
    assert message.startswith("The value returned by `affine`")
    assert expected_text in message


def test_is_the_type_checked_before_the_shape():
    """Does a list of the wrong shape get the type message, not a shape message?"""
    message = failure(AFFINE, returning(lambda Z, W, x, b: Z.T.tolist()))
    assert "not a numpy array" in message and "shape" not in message


def test_does_a_transposed_answer_get_the_transpose_hint():
    """Does Z.T get 'expected shape (3, 5)', the input shapes and a hint about the axes?"""
    message = failure(AFFINE, returning(lambda Z, W, x, b: Z.T))
    assert "has shape (5, 3); expected shape (3, 5) on the worked example" in message
    assert "(inputs: W: (3, 4), x: (4, 5), b: (3, 1))" in message
    assert "It looks transposed" in message


def test_does_a_flattened_answer_get_the_reshape_hint():
    """Does Z.ravel() (right number of entries) get a hint to reshape?"""
    message = failure(AFFINE, returning(lambda Z, W, x, b: Z.ravel()))
    assert "The number of entries is right" in message and ".reshape(3, 5)" in message


def test_does_another_wrong_shape_get_no_misleading_hint():
    """Does a (3, 4) answer get the shapes only, with no transpose, reshape or mistake hint?"""
    message = failure(AFFINE, returning(lambda Z, W, x, b: W.copy()))
    assert "has shape (3, 4); expected shape (3, 5)" in message
    for hint in ("transposed", "reshape", "known mistake"):
        assert hint not in message


def test_is_a_mistake_of_another_shape_named():
    """Does a known mistake with its own wrong shape get named with its 'where'?"""
    wrong = AFFINE_MISTAKES["one_example_only"]
    message = failure(AFFINE, wrong.fn)
    assert "has shape (3, 1); expected shape (3, 5)" in message
    assert f"This looks like a known mistake: {wrong.message}." in message
    assert "Where to look: Section 1, 'Columns'." in message


def test_is_a_mistake_not_named_for_a_shape_alone():
    """Does returning b (shape (3, 1), like the mistake, but other values) avoid naming it?"""
    message = failure(AFFINE, lambda W, x, b: b.copy())
    assert "has shape (3, 1)" in message and "known mistake" not in message


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("part", ["shape", "values"])
def test_are_nan_and_inf_reported_in_both_parts(bad, part):
    """Does a NaN or infinite entry fail, with a message about exp/log, even in part 'shape'?"""
    def student(W, x, b):
        Z = W @ x + b
        Z[1, 2] = bad
        return Z

    message = failure(AFFINE, student, part=part)
    assert "contains 1 NaN or infinite value(s) on the worked example" in message
    assert "exp() of a large number or log(0)" in message


def test_is_the_shape_checked_before_finiteness():
    """Does a wrong-shaped array full of NaN get the shape message?"""
    message = failure(AFFINE, returning(lambda Z, W, x, b: np.full((5, 3), np.nan)))
    assert "It looks transposed" in message and "NaN" not in message


def test_does_part_shape_accept_wrong_values_of_the_right_shape():
    """Is part 'shape' only about returning, type, shape and finiteness (values come later)?"""
    zeros = returning(lambda Z, W, x, b: np.zeros_like(Z))
    check_exercise(AFFINE.id, zeros, part="shape", quiet=True)
    assert "wrong values" in failure(AFFINE, zeros, part="values")


# --- wrong values, visible and hidden; known mistakes ----------------------------------------

def test_do_wrong_values_show_expected_and_yours_on_the_worked_example():
    """On the worked example, does the message show both arrays and where to look?"""
    message = failure(AFFINE, returning(lambda Z, W, x, b: Z + 1.0))
    assert "has the right shape but wrong values on the worked example" in message
    assert "expected Z = [[" in message and "yours    Z = [[" in message
    first = expected_for(AFFINE)[0, 0]
    assert f"{first:.6f}"[:6] in message and f"{first + 1.0:.6f}"[:6] in message
    assert "Where to look: Section 2, 'The affine map'." in message
    assert "known mistake" not in message


def test_do_wrong_values_on_hidden_inputs_reveal_nothing():
    """On hidden inputs, is there no expected value and no array in the message?"""
    message = failure(AFFINE, returning(lambda Z, W, x, b: Z + 1.0), seeds=HIDDEN_SEEDS,
                      hidden=True)
    assert "wrong values on hidden test inputs (largest difference 1)" in message
    assert "may only work for the worked example" in message
    assert "expected" not in message and "yours" not in message and "[" not in message
    for seed in HIDDEN_SEEDS:
        for value in expected_for(AFFINE, seed).ravel():
            assert f"{value:.4f}" not in message


def test_does_a_hard_coded_answer_fail_the_hidden_tests():
    """Does returning the worked example's answer pass visibly but fail on hidden seeds?"""
    worked = expected_for(AFFINE)
    cheat = lambda W, x, b: worked.copy()  # noqa: E731
    check_exercise(AFFINE.id, cheat, quiet=True)
    assert "wrong values on hidden test inputs" in failure(AFFINE, cheat, seeds=HIDDEN_SEEDS,
                                                           hidden=True)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
@pytest.mark.parametrize("seeds, hidden", [(None, False), (HIDDEN_SEEDS, True)])
def test_is_every_known_mistake_named_with_its_where(exercise, seeds, hidden):
    """Does each registered mistake fail, visible and hidden, naming itself and where to look?"""
    for wrong in exercise.mistakes:
        message = failure(exercise, wrong.fn, seeds=seeds, hidden=hidden)
        assert f"This looks like a known mistake: {wrong.message}." in message
        assert f"Where to look: {wrong.where or exercise.where}." in message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_is_every_mistake_distinguishable_from_the_reference(exercise):
    """On the worked example and every hidden seed, does each mistake differ from the reference?
    """
    for seed in [VISIBLE_SEED] + HIDDEN_SEEDS:
        inputs = exercise.inputs(seed)
        right = np.asarray(exercise.reference(*inputs.values()))
        for wrong in exercise.mistakes:
            value = np.asarray(wrong.fn(*exercise.inputs(seed).values()))
            assert value.shape != right.shape or not np.allclose(value, right, rtol=1e-3)


def test_is_the_catalogue_wording_used():
    """Does a catalogue mistake speak with the catalogue's words?"""
    message = failure(AFFINE, AFFINE_MISTAKES["forgotten_bias"].fn)
    assert CATALOGUE["forgotten_bias"] in message


# --- the student's function raising ----------------------------------------------------------

def test_does_an_unwritten_function_say_it_is_not_written_yet():
    """Does raise NotImplementedError() give 'not written yet', not a traceback story?"""
    def unwritten(W, x, b):
        raise NotImplementedError()

    message = failure(AFFINE, unwritten)
    assert "`affine` is not written yet: replace `raise NotImplementedError()`" in message


def test_is_another_exception_reported_with_its_type_and_the_call():
    """Does a ValueError in the student's code name its type, text, the call and the shapes, after
    a plain-words line that names the student's line?"""
    def broken(W, x, b):
        return W @ x.T + b  # shapes do not fit

    with pytest.raises(CheckFailed) as error:
        check_exercise(AFFINE.id, broken, quiet=True)
    message = str(error.value)
    assert message.startswith("The shapes do not fit: line ")
    assert "`return W @ x.T + b  # shapes do not fit`" in message
    assert "inner sizes differ (5 against 4)" in message
    assert "\n`affine` raised ValueError: matmul" in message
    assert "called as affine(W, x, b) with the shapes W: (3, 4), x: (4, 5), b: (3, 1)" in message
    assert isinstance(error.value.__cause__, ValueError)


def test_are_a_non_function_and_bad_arguments_refused():
    """Are a non-callable, an unknown exercise id and an unknown part each explained?"""
    with pytest.raises(CheckFailed, match="should be a function; found an ndarray"):
        check_exercise(AFFINE.id, np.zeros(3))
    with pytest.raises(KeyError, match="test_lesson.affine"):
        check_exercise("test_lesson.affine_typo", affine)
    with pytest.raises(ValueError, match="'shape' or 'values'"):
        check_exercise(AFFINE.id, affine, part="everything")


# --- scalar outputs --------------------------------------------------------------------------

@pytest.mark.parametrize("wrap", [float, np.float64, np.float32, lambda v: np.array(v)],
                         ids=["float", "float64", "float32", "0-d"])
def test_is_a_scalar_accepted_as_any_kind_of_number(wrap):
    """Do a Python float, numpy scalars and a 0-d array all pass for a scalar answer?"""
    student = lambda y_hat, y: wrap(half_mse(y_hat, y))  # noqa: E731
    check_exercise(COST.id, student, quiet=True, seeds=[VISIBLE_SEED] + HIDDEN_SEEDS)


@pytest.mark.parametrize("wrap", [
    lambda v: np.array([v]), lambda v: np.array([[v]]),
    lambda v: np.array([[v]], dtype=np.float32),
], ids=["(1,)", "(1, 1)", "(1, 1) float32"])
def test_is_a_size_one_array_refused_where_the_docstring_asks_for_one_number(wrap):
    """Does a size-1 array (np.sum with keepdims, np.atleast_1d) fail, as a wrong return type,
    with a message that says to return a plain number?"""
    student = lambda y_hat, y: wrap(half_mse(y_hat, y))  # noqa: E731
    with pytest.raises(CheckFailed) as caught:
        check_exercise(COST.id, student, quiet=True)
    assert caught.value.mistake == "wrong_return_type"
    assert "asks for one number" in str(caught.value) and "float(...)" in str(caught.value)


def test_is_a_per_example_vector_refused_for_a_scalar():
    """Does returning the per-example losses (6 numbers) fail on the shape?"""
    message = failure(COST, lambda y_hat, y: 0.5 * (y_hat - y) ** 2)
    assert "has shape (1, 6); expected shape ()" in message


# --- hostile values never pass ---------------------------------------------------------------

class AlwaysEqual:
    """Says yes to every comparison and every truth test."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True

    __hash__ = object.__hash__


class PretendsToBe:
    """Carries the right answer and offers it through every conversion protocol numpy knows."""

    def __init__(self, expected):
        self.expected = np.asarray(expected, dtype=np.float64)
        self.shape, self.dtype, self.ndim = self.expected.shape, self.expected.dtype, 2

    def __array__(self, dtype=None, copy=None):
        return self.expected if dtype is None else self.expected.astype(dtype)

    @property
    def __array_interface__(self):
        return self.expected.__array_interface__

    def __float__(self):
        return float(self.expected.ravel()[0])

    def __eq__(self, other):
        return True

    def item(self, *args):
        return float(self.expected.ravel()[0])

    def tolist(self):
        return self.expected.tolist()

    __hash__ = object.__hash__


def spoofing(claimed):
    """A PretendsToBe that also claims, through __class__, to be an instance of ``claimed``."""
    cls = type(f"ClaimsToBe_{claimed.__name__}", (PretendsToBe,),
               {"__class__": property(lambda self: claimed)})
    return lambda expected: cls(expected)


def _lies(expected):
    """Methods an ndarray subclass may override, each one answering with the right values."""
    def answer(self, *args, **kwargs):
        return self._expected

    return {
        "__eq__": lambda self, other: np.ones(self._expected.shape, dtype=bool),
        "__ne__": lambda self, other: np.zeros(self._expected.shape, dtype=bool),
        "__array__": answer, "view": answer, "astype": answer, "copy": answer,
        "__array_ufunc__": lambda self, *a, **k: self._expected,
        "__array_function__": lambda self, *a, **k: True,
        "__getitem__": answer, "tolist": lambda self: self._expected.tolist(),
        "__float__": lambda self: float(self._expected.ravel()[0]),
        "item": lambda self, *a: float(self._expected.ravel()[0]),
        "__array_wrap__": answer, "reshape": answer,
        "__bool__": lambda self: True,
    }


LIES = sorted(_lies(None))


def lying_subclass(lie):
    """An ndarray subclass holding zeros (wrong) whose method ``lie`` answers with the truth."""
    def build(expected):
        expected = np.asarray(expected, dtype=np.float64)
        cls = type(f"Lying_{lie.strip('_')}", (np.ndarray,), {lie: _lies(expected)[lie]})
        liar = np.zeros(expected.shape).view(cls)
        liar._expected = expected
        return liar
    return build


def every_lie_at_once(expected):
    expected = np.asarray(expected, dtype=np.float64)
    liar = np.zeros(expected.shape).view(type("Liar", (np.ndarray,), _lies(expected)))
    liar._expected = expected
    return liar


def object_array_claiming_float(expected):
    """An object-dtype array holding the right numbers whose dtype says float64."""
    cls = type("ClaimsFloat", (np.ndarray,), {"dtype": property(lambda s: np.dtype("f8"))})
    return np.asarray(expected, dtype=object).reshape(np.shape(expected)).view(cls)


def lying_float64(expected):
    """A numpy float64 scalar (subclass) holding 0 whose conversions answer with the truth."""
    truth = float(np.asarray(expected).ravel()[0])
    cls = type("LyingFloat64", (np.float64,), {
        "item": lambda self, *a: truth, "__float__": lambda self: truth,
        "__array__": lambda self, *a, **k: np.array(truth), "__eq__": lambda self, o: True,
        "dtype": property(lambda self: np.dtype("f8"))})
    return cls(0.0)


def lying_python_float(expected):
    cls = type("LyingFloat", (float,), {"__eq__": lambda s, o: True, "__ne__": lambda s, o: False,
                                        "__hash__": float.__hash__})
    return cls(0.0)


def lying_int(expected):
    cls = type("LyingInt", (int,), {"__eq__": lambda s, o: True, "__float__": lambda s: float(
        np.asarray(expected).ravel()[0]), "__hash__": int.__hash__})
    return cls(0)


HOSTILE = {
    "always-equal object": lambda expected: AlwaysEqual(),
    "__array__/__float__/item offering the answer": PretendsToBe,
    "claims to be an ndarray": spoofing(np.ndarray),
    "claims to be a numpy float64": spoofing(np.float64),
    "claims to be a list": spoofing(list),
    **{f"ndarray subclass overriding {lie}": lying_subclass(lie) for lie in LIES},
    "ndarray subclass overriding everything": every_lie_at_once,
    "object array claiming dtype float64": object_array_claiming_float,
    "object array of the right numbers": lambda expected: np.asarray(expected, dtype=object),
    "object array of always-equal objects": lambda expected: np.full(
        np.shape(expected), AlwaysEqual(), dtype=object),
    "complex array with the right real part": lambda expected: np.asarray(expected) + 1e-3j,
    "NaN everywhere": lambda expected: np.full(np.shape(expected), np.nan),
    "inf everywhere": lambda expected: np.full(np.shape(expected), np.inf),
}
SCALAR_HOSTILE = {
    **HOSTILE,
    "numpy float64 subclass lying in item/__float__/__array__": lying_float64,
    "Python float subclass equal to everything": lying_python_float,
    "Python int subclass equal to everything": lying_int,
    "complex scalar": lambda expected: complex(float(expected), 0.0),
    "numpy complex scalar": lambda expected: np.complex128(float(expected)),
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_does_a_hostile_array_answer_never_pass(make):
    """Does every trick fail part 'values', visibly and on hidden seeds, with a CheckFailed?"""
    student = returning(lambda Z, W, x, b: make(Z))
    with pytest.raises(CheckFailed):
        check_exercise(AFFINE.id, student, quiet=True)
    with pytest.raises(CheckFailed):
        check_exercise(AFFINE.id, student, quiet=True, seeds=HIDDEN_SEEDS, hidden=True)


@pytest.mark.parametrize("make", SCALAR_HOSTILE.values(), ids=SCALAR_HOSTILE.keys())
def test_does_a_hostile_scalar_answer_never_pass(make):
    """For a scalar answer too, does every trick fail part 'values'?"""
    student = lambda y_hat, y: make(half_mse(y_hat, y))  # noqa: E731
    with pytest.raises(CheckFailed):
        check_exercise(COST.id, student, quiet=True)
    with pytest.raises(CheckFailed):
        check_exercise(COST.id, student, quiet=True, seeds=HIDDEN_SEEDS, hidden=True)


@pytest.mark.parametrize("make", SCALAR_HOSTILE.values(), ids=SCALAR_HOSTILE.keys())
def test_does_check_value_refuse_every_hostile_scalar(make):
    """Does check_value refuse the same tricks for a number?"""
    with pytest.raises(CheckFailed):
        check_value("J", make(0.75), 0.75, quiet=True)


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_does_check_value_refuse_every_hostile_array(make):
    """Does check_value refuse the same tricks for an array?"""
    expected = np.arange(1.0, 7.0).reshape(2, 3)
    with pytest.raises(CheckFailed):
        check_value("Z", make(expected), expected, quiet=True)


def test_does_coercion_read_a_subclass_through_its_data():
    """Is an honest ndarray subclass read by its data, as a fresh float64 array?"""
    value = np.array([[1, 2], [3, 4]]).view(type("Honest", (np.ndarray,), {}))
    array = coerce_to_float_array(value, "M")
    assert type(array) is np.ndarray and array.dtype == np.float64
    np.testing.assert_array_equal(array, [[1.0, 2.0], [3.0, 4.0]])
    assert not np.shares_memory(array, value)


@SETTINGS
@given(seed=st.sampled_from([VISIBLE_SEED] + HIDDEN_SEEDS), row=st.integers(0, 2),
       col=st.integers(0, 4), factor=st.floats(2.0, 1e6), sign=st.sampled_from([-1.0, 1.0]))
def test_does_a_perturbed_answer_never_pass(seed, row, col, factor, sign):
    """Does moving one entry by more than the tolerance (rtol 1e-6, atol 1e-9) always fail?"""
    def student(W, x, b):
        Z = W @ x + b
        Z[row, col] += sign * factor * (AFFINE.atol + AFFINE.rtol * abs(Z[row, col]))
        return Z

    with pytest.raises(CheckFailed, match="wrong values"):
        check_exercise(AFFINE.id, student, seeds=[seed], hidden=seed != VISIBLE_SEED, quiet=True)


@SETTINGS
@given(seed=st.sampled_from([VISIBLE_SEED] + HIDDEN_SEEDS), factor=st.floats(-0.5, 0.5))
def test_does_an_answer_within_tolerance_pass(seed, factor):
    """Does a change of every entry by at most half the tolerance still pass?"""
    def student(W, x, b):
        Z = W @ x + b
        return Z + factor * (AFFINE.atol + AFFINE.rtol * np.abs(Z))

    check_exercise(AFFINE.id, student, seeds=[seed], quiet=True)


# --- inputs: copies in, caller's arrays untouched --------------------------------------------

def test_does_returning_the_copied_input_fail_as_no_update():
    """Does returning w unchanged (the check's copy) fail and name the 'no update' mistake?"""
    message = failure(STEP, lambda w, dw, lr: w)
    assert CATALOGUE["no_update"] in message


def test_does_a_mutating_function_fail_with_a_message_and_leave_the_callers_arrays():
    """Does `w -= lr * dw; return w` lose the cell (right values, but the caller's data changed),
    say which arguments changed, and leave the module's arrays alone?"""
    before = STEP_W.copy(), STEP_DW.copy()

    def in_place(w, dw, lr):
        w -= lr * dw
        dw[:] = 0.0
        return w

    with pytest.raises(CheckFailed) as caught:
        check_exercise(STEP.id, in_place, seeds=[VISIBLE_SEED] + HIDDEN_SEEDS, quiet=True)
    message = str(caught.value)
    assert "`step` changed its argument(s) `w`, `dw` in place" in message
    assert "w = w - lr * dw" in message
    np.testing.assert_array_equal(STEP_W, before[0])
    np.testing.assert_array_equal(STEP_DW, before[1])


@pytest.mark.parametrize("change", ["dict entry", "dict key", "list entry", "scalar in dict"])
def test_is_every_kind_of_in_place_change_refused(change):
    """Does changing a dict of arrays, a list, or a number inside a container fail the check?"""
    from autograder.checks import changed_arguments

    inputs = {"params": {"W": np.ones((2, 2)), "lr": 0.5}, "layers": [np.zeros(3)], "x": 1.0}
    after = copy.deepcopy(list(inputs.values()))
    if change == "dict entry":
        after[0]["W"] -= 1.0
    elif change == "dict key":
        after[0]["extra"] = np.ones(1)
    elif change == "list entry":
        after[1].append(np.ones(1))
    else:
        after[0]["lr"] = 0.25
    assert changed_arguments(inputs, after) == (["layers"] if change == "list entry"
                                                else ["params"])
    assert changed_arguments(inputs, copy.deepcopy(list(inputs.values()))) == []


def test_is_no_note_printed_for_a_function_that_leaves_its_inputs(capsys):
    """Does a pure function pass without the note?"""
    check_exercise(STEP.id, step)
    assert "Note:" not in capsys.readouterr().out


def test_does_a_student_see_fresh_inputs_each_time():
    """If a student corrupts its inputs on one call, do the next calls still get clean ones?"""
    calls = []

    def corrupting(W, x, b):
        calls.append(x.copy())
        x[:] = 1e6
        return W @ calls[-1] + b

    for _ in range(2):  # each call fails (the input changed in place), on clean inputs
        with pytest.raises(CheckFailed, match="in place"):
            check_exercise(AFFINE.id, corrupting, quiet=True)
    np.testing.assert_array_equal(calls[0], calls[1])


# --- nothing reaches stderr ------------------------------------------------------------------

def naive_sigmoid_affine(W, x, b):
    """Right, but overflows harmlessly in exp (the naive sigmoid of a student)."""
    np.exp(np.array([1000.0]))
    return W @ x + b


def noisy_affine(W, x, b):
    """Right, but talks on stderr and warns."""
    print("debugging...", file=sys.stderr)
    sys.stderr.write("more debugging\n")
    warnings.warn("a user warning", UserWarning)
    warnings.warn("a runtime warning", RuntimeWarning)
    return W @ x + b


def noisy_wrong_affine(W, x, b):
    noisy_affine(W, x, b)
    return np.log(np.zeros((3, 5)))  # divide-by-zero warning and -inf


@pytest.mark.parametrize("student, passes", [
    (naive_sigmoid_affine, True), (noisy_affine, True), (noisy_wrong_affine, False),
    (returning(lambda Z, W, x, b: np.full_like(Z, np.finfo(np.float64).max)), False),
    (returning(lambda Z, W, x, b: np.full(Z.shape, np.longdouble("1e400"))), False),
], ids=["overflow in exp", "stderr and warnings", "warnings and wrong", "float64 max",
        "longdouble beyond float64"])
def test_does_nothing_reach_stderr_during_a_check(student, passes, capfd):
    """Whatever the student's code warns or prints on stderr, is stderr empty and no warning out?
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for kwargs in ({}, {"seeds": HIDDEN_SEEDS, "hidden": True}):
            if passes:
                check_exercise(AFFINE.id, student, quiet=True, **kwargs)
            else:
                with pytest.raises(CheckFailed):
                    check_exercise(AFFINE.id, student, quiet=True, **kwargs)
    assert caught == []
    assert capfd.readouterr().err == ""


def test_does_check_value_compare_huge_values_quietly(capfd):
    """Does check_value fail a value near the float64 max without a warning or stderr?"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(CheckFailed, match="not right yet"):
            check_value("z", np.array([np.finfo(np.float64).max]), np.array([-1e308]))
    assert caught == [] and capfd.readouterr().err == ""


# --- check_value -----------------------------------------------------------------------------

def test_does_check_value_accept_the_right_answer(capsys):
    """Does a right number pass (also as a size-1 array) and say so?"""
    check_value("eta", 0.1, 0.1)
    check_value("eta", np.array([[0.1]]), 0.1, quiet=True)
    check_value("W", np.array([[1, 2]]), [[1.0, 2.0]], quiet=True)
    assert capsys.readouterr().out == "\u2714 eta is correct.\n"


def test_does_check_value_name_a_known_wrong_answer_and_where_to_look():
    """Does a listed wrong answer get its meaning, and every wrong answer where to look?"""
    known = [(-0.25, "the sign is flipped"), (0.5, "this is the sum, not the mean")]
    with pytest.raises(CheckFailed) as error:
        check_value("dJdw", -0.25, 0.25, where="Section 3", wrong_answers=known)
    message = str(error.value)
    assert "`dJdw` is not right yet (yours: -0.25)." in message
    assert "This looks like a known mistake: the sign is flipped." in message
    assert "Where to look: Section 3." in message
    with pytest.raises(CheckFailed) as error:
        check_value("dJdw", 0.3, 0.25, wrong_answers=known)
    assert "known mistake" not in str(error.value)


@pytest.mark.parametrize("value, text", [
    (np.ones(3), "has shape (3,); expected (2,)"),
    (np.array([1.0, np.nan]), "contains NaN or infinite values"),
    (None, "is None"),
    ([1.0, 2.0], "not a numpy array"),
])
def test_does_check_value_explain_shape_finiteness_and_type(value, text):
    """Are a wrong shape, NaN, None and a list each explained?"""
    with pytest.raises(CheckFailed, match=re.escape(text)):
        check_value("v", value, np.array([1.0, 2.0]))


@SETTINGS
@given(expected=st.floats(-1e6, 1e6), factor=st.floats(2.0, 1e6),
       sign=st.sampled_from([-1.0, 1.0]))
def test_does_check_value_refuse_any_value_outside_the_tolerance(expected, factor, sign):
    """Does every value further than atol + rtol |expected| away fail?"""
    wrong = expected + sign * factor * (1e-9 + 1e-6 * abs(expected))
    with pytest.raises(CheckFailed):
        check_value("v", wrong, expected, quiet=True)
