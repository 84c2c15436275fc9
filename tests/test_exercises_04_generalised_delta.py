"""Tests of the exercises of lesson 4 (autograder/exercises/lesson04.py).

Does the reference pass every check? Does every registered mistake fail with a message that names
it, on the worked example and on the hidden seeds? Does a hard-coded answer fail the hidden tests?
Does the planted-bug function of the lesson fail the gradient check where the lesson says it does?
"""
import ast
import re
from pathlib import Path

import numpy as np
import pytest

from autograder.activations import sigmoid, sigmoid_prime
from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, all_exercises, get
from autograder.exercises import lesson04
from autograder.gradcheck import gradient_check
from autograder.reference import delta_rule as ref

LESSON = lesson04.LESSON
LESSON_SOURCE = Path(__file__).resolve().parent.parent / "course" / "source" / LESSON / \
    f"{LESSON}.py"
EXERCISES = [ex for ex in all_exercises() if ex.lesson == LESSON]
SEEDS = (VISIBLE_SEED, *lesson04.HIDDEN_SEEDS)
MISTAKES = [(ex, wrong) for ex in EXERCISES for wrong in ex.mistakes]


def _ids(pairs):
    return [f"{ex.function}-{wrong.key}" for ex, wrong in pairs]


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


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_the_reference_pass_every_check(exercise, capsys):
    """Does the reference pass the shape and value checks, visible and hidden?"""
    for part in ("shape", "values"):
        check_exercise(exercise.id, exercise.reference, part=part)  # raises if it fails
        check_exercise(exercise.id, exercise.reference, part=part,
                       seeds=lesson04.HIDDEN_SEEDS, hidden=True)
    assert capsys.readouterr().out.count("\u2714") == 4


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=_ids(MISTAKES))
def test_does_each_mistake_differ_from_the_reference_on_every_seed(exercise, wrong):
    """Is every mistake distinguishable from the right answer on every visible and hidden seed?"""
    for seed in SEEDS:
        inputs = exercise.inputs(seed)
        right = exercise.reference(*inputs.values())
        assert not _same(wrong.fn(*exercise.inputs(seed).values()), right), seed


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=_ids(MISTAKES))
def test_does_each_mistake_fail_with_a_message_that_names_it(exercise, wrong):
    """Does check_exercise reject every mistake, naming it, visible and hidden?"""
    with pytest.raises(CheckFailed) as visible:
        check_exercise(exercise.id, wrong.fn, quiet=True)
    assert wrong.message in str(visible.value)
    assert "Where to look: Section" in str(visible.value)
    for seed in lesson04.HIDDEN_SEEDS:
        with pytest.raises(CheckFailed) as hidden:
            check_exercise(exercise.id, wrong.fn, seeds=[seed], hidden=True, quiet=True)
        assert wrong.message in str(hidden.value)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_a_hard_coded_answer_fail_the_hidden_tests(exercise):
    """Does returning the worked example's answer pass visibly but fail on the hidden seeds?"""
    answer = exercise.reference(*exercise.inputs(VISIBLE_SEED).values())

    def hard_coded(*args):
        return answer

    check_exercise(exercise.id, hard_coded, quiet=True)  # passes on the worked example
    with pytest.raises(CheckFailed):
        check_exercise(exercise.id, hard_coded, seeds=lesson04.HIDDEN_SEEDS, hidden=True,
                       quiet=True)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_an_unanswered_exercise_say_it_is_not_written_yet(exercise):
    """Does a function that raises NotImplementedError get the 'not written yet' message?"""
    def unanswered(*args):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not written yet"):
        check_exercise(exercise.id, unanswered, part="shape")


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


def test_is_the_visible_example_different_from_every_hidden_one():
    """Do the hidden seeds draw inputs different from the worked example's?"""
    visible = get(f"{LESSON}.delta_gradients").inputs(VISIBLE_SEED)["x"]
    for seed in lesson04.HIDDEN_SEEDS:
        hidden = get(f"{LESSON}.delta_gradients").inputs(seed)["x"]
        assert hidden.shape != visible.shape or not np.allclose(hidden, visible)


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
    """Does returning the layers in reverse order fail (with a shape message)?"""
    def reversed_layers(x, t, weights, biases):
        dweights, dbiases = ref.generalised_backward(x, t, weights, biases)
        return dweights[::-1], dbiases[::-1]

    with pytest.raises(CheckFailed, match="shape"):
        check_exercise(f"{LESSON}.generalised_backward",
                       lesson04.named_gradients(reversed_layers), part="shape")


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
    ("missing_transpose", {"u"}),
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
def test_do_the_lessons_hidden_tests_use_the_tested_seeds():
    """Does every hidden check in the lesson use exactly HIDDEN_SEEDS (never the visible seed)?"""
    if not LESSON_SOURCE.exists():
        pytest.skip("the lesson source is not written yet")
    text = LESSON_SOURCE.read_text()
    found = re.findall(r"seeds=\[([0-9, ]+)\]", text)
    assert found, "no hidden tests found in the lesson"
    for seeds in found:
        assert tuple(int(s) for s in seeds.split(",")) == lesson04.HIDDEN_SEEDS


def test_does_every_exercise_have_a_shape_and_a_values_grade_cell():
    """Does the lesson grade each exercise with part='shape' and with part='values'?"""
    if not LESSON_SOURCE.exists():
        pytest.skip("the lesson source is not written yet")
    text = LESSON_SOURCE.read_text()
    for exercise in EXERCISES:
        calls = re.findall(rf'check_exercise\(\s*"{re.escape(exercise.id)}".*?part="(\w+)"',
                           text, flags=re.S)
        assert {"shape", "values"} <= set(calls), exercise.id


def test_does_every_where_name_a_section_of_the_lesson():
    """Does every 'Where to look' of the exercises and mistakes quote a heading of the lesson?"""
    if not LESSON_SOURCE.exists():
        pytest.skip("the lesson source is not written yet")
    headings = {line[len("# ## "):].strip() for line in LESSON_SOURCE.read_text().splitlines()
                if line.startswith("# ## Section")}
    wheres = {ex.where for ex in EXERCISES} | {wrong.where for _, wrong in MISTAKES}
    assert wheres and wheres <= headings, wheres - headings
