"""What is particular to the exercises of lesson 4 (autograder/exercises/lesson04.py): inputs that
keep the mistakes apart, the adapter that turns two lists into named gradients, and the
planted-bug function that fails the gradient check where the lesson says it does.

What every lesson's exercises must do is checked for all lessons at once by
tests/lessons/test_lesson_contract.py.
"""
import ast
import re

import numpy as np
import pytest

from autograder.activations import sigmoid, sigmoid_prime
from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, all_exercises, get
from autograder.exercises import lesson04
from autograder.gradcheck import gradient_check
from autograder.reference import delta_rule as ref
from layout import REPO

LESSON = lesson04.LESSON
LESSON_SOURCE = REPO / "course" / "source" / LESSON / \
    f"{LESSON}.py"
EXERCISES = [ex for ex in all_exercises() if ex.lesson == LESSON]
SEEDS = (VISIBLE_SEED, *lesson04.HIDDEN_SEEDS)
MISTAKES = [(ex, wrong) for ex in EXERCISES for wrong in ex.mistakes]


def _as_arrays(result):
    """A result as a list of float64 arrays (dict values or one array)."""
    values = result.values() if isinstance(result, dict) else [result]
    return [np.asarray(v, dtype=np.float64) for v in values]


def _same(a, b):
    a, b = _as_arrays(a), _as_arrays(b)
    return len(a) == len(b) and all(x.shape == y.shape and np.allclose(x, y, rtol=1e-6,
                                                                          atol=1e-9)
                                    for x, y in zip(a, b))


def test_are_all_six_exercises_registered():
    """Does the lesson register the six exercises its notebook grades?"""
    assert sorted(ex.function for ex in EXERCISES) == sorted([
        "output_delta", "output_weight_gradient", "hidden_delta", "delta_gradients",
        "fixed_backward", "generalised_backward"])


@pytest.mark.parametrize("seed", SEEDS)
def test_do_the_inputs_separate_the_mistakes(seed):
    """Are there several examples, more examples than units, and 3 hidden units but 2 outputs?"""
    net = get(f"{LESSON}.delta_gradients").inputs(seed)
    m = net["x"].shape[0]
    assert m > 3
    assert net["w"].shape == (2, 3) and net["u"].shape == (3, 2)
    assert net["w"].shape == net["u"].T.shape  # why sending the delta back through w is silent
    deep = get(f"{LESSON}.generalised_backward").inputs(seed)
    sizes = [deep["x"].shape[1]] + [b.size for b in deep["biases"]]
    assert len(deep["weights"]) >= 2 and min(sizes) >= 2
    assert all(a != b for a, b in zip(sizes[:-1], sizes[1:]))
    assert deep["x"].shape[0] > max(sizes)


# ------------------------------------------------------------------ the adapter for two lists
def _deep_inputs():
    return get(f"{LESSON}.generalised_backward").inputs(VISIBLE_SEED)


def test_does_named_gradients_list_the_output_layer_first():
    """Are the gradients named dweights[l] / dbiases[l], from the output layer down?"""
    inputs = _deep_inputs()
    named = lesson04.named_gradients(ref.generalised_backward)(*inputs.values())
    n = len(inputs["weights"])
    assert list(named)[:2] == [f"dweights[{n - 1}]", f"dbiases[{n - 1}]"]
    assert list(named)[-1] == "dbiases[0]"


@pytest.mark.parametrize("returned, expected", [
    (None, "Did you forget a `return`"),
    (np.zeros(3), "should return two lists"),
    (([np.zeros(1)], [np.zeros(1)]), "should be a list of"),
])
def test_does_a_badly_shaped_return_get_a_clear_message(returned, expected):
    """Is a generalised_backward that returns the wrong structure told what to return?"""
    def student(x, t, weights, biases):
        return returned

    with pytest.raises(CheckFailed, match=re.escape(expected)):
        check_exercise(f"{LESSON}.generalised_backward", lesson04.named_gradients(student),
                       part="shape")


def test_is_a_list_of_layers_in_the_wrong_order_caught():
    """Does returning the layers in reverse order fail, saying the arrays are right but in
    each other's places?"""
    def reversed_layers(x, t, weights, biases):
        dweights, dbiases = ref.generalised_backward(x, t, weights, biases)
        return dweights[::-1], dbiases[::-1]

    with pytest.raises(CheckFailed, match="in each other's places") as failure:
        check_exercise(f"{LESSON}.generalised_backward",
                       lesson04.named_gradients(reversed_layers), part="shape")
    assert failure.value.mistake == "swapped_outputs"


# ------------------------------------------------------------------ the planted-bug exercise
def _lesson_functions(*names):
    """Compile some top-level functions of the lesson's source (numpy, sigmoid, sigmoid_prime
    in scope, as the lesson imports them)."""
    if not LESSON_SOURCE.exists():
        pytest.skip("the lesson source is not written yet")
    tree = ast.parse(LESSON_SOURCE.read_text())
    nodes = [node for node in tree.body
             if isinstance(node, ast.FunctionDef) and node.name in names]
    assert sorted(node.name for node in nodes) == sorted(names), f"not all of {names} found"
    namespace = {"np": np, "sigmoid": sigmoid, "sigmoid_prime": sigmoid_prime}
    exec(compile(ast.Module(nodes, type_ignores=[]), str(LESSON_SOURCE), "exec"), namespace)
    return [namespace[name] for name in names]


def _gradient_report(backward, seed=VISIBLE_SEED):
    net = get(f"{LESSON}.fixed_backward").inputs(seed)
    x, t = net["x"], net["t"]
    params = {k: net[k] for k in ("w", "b1", "u", "b2")}
    return gradient_check(lambda p: ref.delta_cost(x, t, p["w"], p["b1"], p["u"], p["b2"]),
                          params, backward(x, t, **params))


def test_is_the_lessons_buggy_backward_the_registered_planted_bugs():
    """Does the notebook's buggy_backward compute exactly the 'planted_bugs' variant?"""
    buggy, _ = _lesson_functions("buggy_backward", "delta_forward")
    planted = next(w for w in get(f"{LESSON}.fixed_backward").mistakes
                   if w.key == "planted_bugs")
    for seed in SEEDS:
        inputs = get(f"{LESSON}.fixed_backward").inputs(seed)
        assert _same(buggy(*inputs.values()), planted.fn(*inputs.values()))
        assert not _same(buggy(*inputs.values()), ref.delta_gradients(*inputs.values()))


@pytest.mark.parametrize("key, failing", [
    ("opposite_sign", {"w", "b1", "u", "b2"}),
    ("sigma_for_sigma_prime", {"w", "b1"}),
    ("reshape_for_transpose", {"u"}),
    ("planted_bugs", {"w", "b1", "u", "b2"}),
])
def test_does_the_gradient_check_point_at_each_planted_bug(key, failing):
    """Does each planted bug fail the gradient check for exactly the parameters it touches?"""
    wrong = next(w for w in get(f"{LESSON}.fixed_backward").mistakes if w.key == key)
    report = _gradient_report(lambda x, t, w, b1, u, b2: wrong.fn(x, t, w, b1, u, b2))
    assert {row.name for row in report.failures()} == failing
    if key == "opposite_sign":  # a pure sign error has relative error exactly 1
        assert report["b2"].max_relative_error == pytest.approx(1.0)


def test_does_the_reference_pass_the_lessons_gradient_check():
    """Does the right backward pass pass the same gradient check the students run?"""
    assert _gradient_report(ref.delta_gradients).passed


def test_does_the_slip_demonstration_fail_the_gradient_check():
    """Sending the hidden delta back through w (slip S5): do w and b1 fail, u and b2 pass?"""
    wrong = next(w for w in get(f"{LESSON}.delta_gradients").mistakes if w.key == "wrong_weights")
    report = _gradient_report(wrong.fn)
    assert {row.name for row in report.failures()} == {"w", "b1"}


# ------------------------------------------------------------------ the lesson's grade cells


def _du_reshaped(exercise_id):
    """The exercise's right answer with du = (delta_out.T @ h).reshape(u.shape) / m."""
    def student(*args):
        exercise = get(exercise_id)
        right = exercise.reference(*args)
        wrong = np.asarray(right["du"] if isinstance(right, dict) else right).T
        wrong = wrong.reshape(wrong.shape[::-1])
        if isinstance(right, dict):
            return {**right, "du": wrong}
        return wrong
    return student


@pytest.mark.parametrize("exercise_id", [f"{LESSON}.output_weight_gradient",
                                         f"{LESSON}.delta_gradients",
                                         f"{LESSON}.fixed_backward"])
def test_is_a_reshape_for_a_transpose_named_the_same_in_every_exercise(exercise_id):
    """Is du computed with a .reshape where a transpose belongs named reshape_for_transpose in
    exercise 2, in delta_gradients and in the bug hunt alike (not missing_transpose)?"""
    with pytest.raises(CheckFailed) as failure:
        check_exercise(exercise_id, _du_reshaped(exercise_id), quiet=True)
    assert failure.value.mistake == "reshape_for_transpose", str(failure.value)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.id)
def test_is_every_missing_transpose_variant_a_real_transpose(exercise):
    """Does every lesson-4 variant keyed missing_transpose return an array of the transposed
    shape (a reshape keeps the shape, and has its own key, reshape_for_transpose)?"""
    inputs = exercise.inputs(VISIBLE_SEED)
    for wrong in exercise.mistakes:
        if wrong.key != "missing_transpose":
            continue
        got = _as_arrays(wrong.fn(*inputs.values()))
        right = _as_arrays(exercise.reference(*inputs.values()))
        assert any(g.shape != r.shape and g.shape == r.shape[::-1]
                   for g, r in zip(got, right)), (exercise.id, wrong.fn)


def test_is_a_loop_that_stops_one_layer_early_named_as_an_iteration_count():
    """Does generalised_backward that leaves out the first layer's gradients get the
    one-layer-missing message, named iteration_count?"""
    def stops_early(x, t, weights, biases):
        dweights, dbiases = ref.generalised_backward(x, t, weights, biases)
        return dweights[1:], dbiases[1:]

    with pytest.raises(CheckFailed) as caught:
        check_exercise("04_generalised_delta.generalised_backward",
                       lesson04.named_gradients(stops_early), quiet=True)
    assert caught.value.mistake == "iteration_count"
    assert "One layer too many or too few" in str(caught.value)


@pytest.mark.parametrize("key", ["opposite_sign", "sigma_for_sigma_prime",
                                 "reshape_for_transpose"])
def test_does_the_bug_hunt_say_where_a_remaining_bug_sits_without_naming_it(key):
    """With one planted bug left, does fixed_backward's message say which gradients it spoils
    but not what the bug is (the written answer after it asks for exactly that)?"""
    exercise = get(f"{LESSON}.fixed_backward")
    wrong = next(m for m in exercise.mistakes if m.key == key)
    with pytest.raises(CheckFailed) as failure:
        check_exercise(exercise.id, lambda *args: wrong.fn(*args), quiet=True)
    message = str(failure.value)
    assert failure.value.mistake == key and "planted bug is still there" in message
    for giveaway in ("t - y", "y - t", "sigma(a1)", "h (1 - h)", "reshape", "transpose",
                     "sign"):
        assert giveaway not in message, giveaway
