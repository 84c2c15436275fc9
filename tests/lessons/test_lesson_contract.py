"""The contract every graded lesson keeps with the exercise registry, on the lesson's real cells.

One set of tests, parametrised over every exercise of every graded lesson (the lessons are
found in ``course/source``, the exercises in ``autograder/exercises``), in place of a copy per
lesson. The grade cells are run as written: their visible part as the student version
(``notebooks/``) has it, their hidden tests from the source. For every exercise:

* the student version keeps the ``def`` line and the docstring, and its stub is reported as
  "not written yet" by the grade cells;
* the reference passes every grade cell, visible and hidden, and the checks on fresh seeds;
* every registered mistake differs from the reference on every seed the grade cells use (and
  on fresh ones), the visible and the hidden grade cells both fail it with its message and its
  section, and so does each hidden seed on its own;
* an answer hard-coded to the worked example's expected values fails the hidden tests;
* the hidden tests use the registry's own hidden seeds, never a visible seed;
* each lesson grades exactly its registered exercises, and every "Where to look" is a heading.

The last tests of this file break one thing at a time and check that the contract fails.

What a lesson needs outside its source and registry (build, sample class, links) is checked by
``tests/lessons/test_lesson_pieces.py``. No kernel runs: the checks are called in this process.
"""
from __future__ import annotations

import ast
import copy
import dataclasses
import importlib
import pkgutil
import re
import sys

import numpy as np
import pytest

from autograder import exercises as registry
from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED
from layout import GRADED_LESSONS, lesson_source
from lesson_cells import (CALL, grade_cells, nbgrader_meta, released_function,
                          released_notebook, run_grade_cell, run_hidden_tests, split_hidden)

SEEDS_IN_CALL = re.compile(r"seeds=\[([\d,\s]+)\]")
#: Seeds no grade cell uses, like the out-of-kernel verifier's fresh draws.
FRESH_SEEDS = (7001, 7002, 7003)
#: A mistake must differ from the reference by this many times the check's tolerance, so that
#: no seed names it by a rounding error.
MARGIN = 100

#: ``{exercise id: [(grade_id, instructor source, function name), ...]}`` in lesson order.
CELLS: dict[str, list[tuple[str, str, str]]] = {}
for _lesson, _grade_id, _source, _exercise_id, _name in grade_cells():
    CELLS.setdefault(_exercise_id, []).append((_grade_id, _source, _name))

EXERCISES = [exercise for lesson in GRADED_LESSONS for exercise in
             registry.lesson_exercises(lesson)]
MISTAKES = [(exercise, wrong) for exercise in EXERCISES for wrong in exercise.mistakes]

#: Where a registered mistake is no mistake on some inputs, so that it cannot differ from the
#: reference there: the ReLU's derivative is a step, so relu'(relu(z)) = relu'(z), and at one
#: example relu'(y_hat) can equal relu'(z^(1)) too. The grade cells' other seeds still name it.
NO_MISTAKE_WHERE = {
    ("02_hidden_layer", "sigma_prime_at_a"): lambda inputs: inputs.get("activation") == "relu",
    ("02_hidden_layer", "h_prime_wrong_layer"): lambda inputs: inputs.get("activation") == "relu",
    # Lesson 5's seeds exercise every activation: for ReLU and the identity sigma'(sigma(z)) is
    # sigma'(z); the first layer (J_prev None) has no delta below it to miss a factor J_prev.
    ("05_deep_networks", "sigma_prime_at_a"): lambda inputs: _slopes_at_a_harmless(inputs),
    ("05_deep_networks", "forgotten_chain_factor"):
        lambda inputs: "J_prev" in inputs and inputs["J_prev"] is None,
}

def _slopes_at_a_harmless(inputs):
    """Is sigma'(a) = sigma'(z) for every slope lesson 5's inputs use? True for ReLU and the
    identity; the output layer's slope is not used with the cross-entropy (delta_L = F_L - Y)."""
    steps = {"relu", "identity"}
    if "activation" in inputs:
        return inputs["activation"] in steps
    activations = inputs.get("activations")
    if not activations:
        return False
    used = activations[:-1] if inputs.get("loss") == "bce" else activations
    return set(used) <= steps


#: Open findings: a hidden seed that, checked alone, names another mistake than the one made
#: (the grade cell, which checks all its hidden seeds at once, names the right one). Empty since
#: a variant is named only when it gives every returned array (the ReLU seeds 203 and 7001 of
#: hidden_sgd_step once named h_prime_wrong_layer for no_update from W1 alone).
MISNAMED_ALONE: dict = {}


def _exercise_ids(value):
    return value.id if isinstance(value, registry.Exercise) else None


def _mistake_ids(pairs):
    """``<exercise id>-<mistake key>-<function>`` (two variants may share a key)."""
    return [f"{exercise.id}-{wrong.key}-{getattr(wrong.fn, '__name__', 'variant')}"
            for exercise, wrong in pairs]


def lesson_module(lesson):
    """The registry module whose ``LESSON`` is ``lesson`` (``autograder/exercises/lessonNN``)."""
    for info in pkgutil.iter_modules(registry.__path__):
        module = importlib.import_module(f"{registry.__name__}.{info.name}")
        if getattr(module, "LESSON", None) == lesson:
            return module
    raise LookupError(f"no module in autograder/exercises/ has LESSON = {lesson!r}")


def _cells_of(exercise):
    cells = CELLS.get(exercise.id)
    assert cells, (f"{exercise.id} is registered but no grade cell of course/source/"
                   f"{exercise.lesson} calls check_exercise({exercise.id!r}, ...)")
    return cells


def _released_cells(exercise):
    """``{grade_id: source}`` of the exercise's grade cells in the student version."""
    ids = {grade_id for grade_id, _, _ in _cells_of(exercise)}
    return {nbgrader_meta(cell)["grade_id"]: cell.source
            for cell in released_notebook(exercise.lesson).cells
            if nbgrader_meta(cell).get("grade_id") in ids}


def _grading_seeds(exercise):
    """The seeds the exercise's grade cells draw from: the worked example's and every listed."""
    seeds = {VISIBLE_SEED}
    for _, source, _ in _cells_of(exercise):
        for group in SEEDS_IN_CALL.findall(source):
            seeds |= {int(seed) for seed in group.split(",")}
    return sorted(seeds)


def _as_arrays(result):
    if isinstance(result, dict):
        return [np.asarray(v, dtype=np.float64) for v in result.values()]
    if isinstance(result, (tuple, list)) and not isinstance(result, np.ndarray):
        return [part for item in result for part in _as_arrays(item)]
    return [np.asarray(result, dtype=np.float64)]


def _same(a, b, exercise, margin=1):
    a, b = _as_arrays(a), _as_arrays(b)
    return len(a) == len(b) and all(
        x.shape == y.shape and np.allclose(x, y, rtol=margin * exercise.rtol,
                                           atol=margin * exercise.atol)
        for x, y in zip(a, b))


def _student_form(exercise):
    """The right answer in the shape of the student's function (not the checks' adapter)."""
    return exercise.student_form or exercise.reference


# ---- each lesson: its grade cells, seeds and sections ----------------------------------------

@pytest.mark.parametrize("lesson", GRADED_LESSONS)
def test_does_the_lesson_grade_exactly_its_registered_exercises(lesson):
    """Does every check_exercise of the lesson name a registered exercise of that lesson, and
    has every registered exercise a shape cell and a values cell with hidden tests?"""
    registered = [exercise.id for exercise in registry.lesson_exercises(lesson)]
    assert registered, (f"{lesson} has grade cells but registers no exercise: add "
                        f"autograder/exercises/lessonNN.py with LESSON = {lesson!r}")
    graded = {eid for eid in CELLS if eid.split(".", 1)[0] == lesson}
    source = lesson_source(lesson).read_text(encoding="utf-8")
    called = {eid for eid, _ in CALL.findall(source)}
    assert called <= set(registered) | graded, f"unregistered ids: {called - set(registered)}"
    for exercise in registry.lesson_exercises(lesson):
        assert exercise.mistakes, f"{exercise.id} registers no known mistake to name"
        cells = _cells_of(exercise)
        names = {name for _, _, name in cells}
        assert names == {exercise.function}, f"{exercise.id}'s grade cells check {names}"
        parts = {part for _, source, _ in cells for part in re.findall(r'part="(\w+)"', source)}
        assert {"shape", "values"} <= parts, f"{exercise.id} lacks a shape or a values cell"
        assert any(split_hidden(source)[1] for _, source, _ in cells), \
            f"{exercise.id} has no hidden tests"


@pytest.mark.parametrize("lesson", GRADED_LESSONS)
def test_do_the_hidden_tests_use_the_lessons_own_hidden_seeds(lesson):
    """Does every hidden block draw exactly the registry's HIDDEN_SEEDS of the lesson, none of
    them a seed a visible check shows, and none another lesson's?"""
    module = lesson_module(lesson)
    hidden_seeds = getattr(module, "HIDDEN_SEEDS", None)
    assert hidden_seeds, f"{module.__name__} has no HIDDEN_SEEDS (docs/authoring.md, step 2)"
    visible_seeds = {VISIBLE_SEED}
    for exercise in registry.lesson_exercises(lesson):
        for _, source, _ in _cells_of(exercise):
            visible, hidden = split_hidden(source)
            for group in SEEDS_IN_CALL.findall(visible):
                visible_seeds |= {int(seed) for seed in group.split(",")}
            for group in SEEDS_IN_CALL.findall(hidden):
                assert tuple(int(s) for s in group.split(",")) == tuple(hidden_seeds), \
                    f"{exercise.id}: hidden seeds [{group}], the registry says {hidden_seeds}"
    assert not visible_seeds & set(hidden_seeds), "a hidden seed is shown by a visible check"
    for other in GRADED_LESSONS:
        if other != lesson:
            shared = set(hidden_seeds) & set(getattr(lesson_module(other), "HIDDEN_SEEDS", ()))
            assert not shared, f"{lesson} and {other} share hidden seeds {shared}"


@pytest.mark.parametrize("lesson", GRADED_LESSONS)
def test_does_every_where_to_look_name_a_heading_of_the_lesson(lesson):
    """Is every section an exercise or a mistake points to ("Section N, 'title'") a heading of
    the lesson, with that number and title?"""
    headings = [line for line in lesson_source(lesson).read_text(encoding="utf-8").splitlines()
                if line.startswith("# ## ")]
    wheres = {where for exercise in registry.lesson_exercises(lesson)
              for where in [exercise.where] + [wrong.where for wrong in exercise.mistakes]
              if where}
    assert wheres
    for where in wheres:
        found = re.fullmatch(r"Section (\d+), '(.+)'", where)
        assert found, f"{where!r} is not of the form \"Section N, 'title'\""
        number, title = found.groups()
        heading = re.compile(rf"# ## (Section )?{number}[.,:] '?{re.escape(title)}'?")
        assert any(heading.fullmatch(line) for line in headings), \
            f"{where} is not a heading of {lesson}"


@pytest.mark.parametrize("lesson", GRADED_LESSONS)
def test_does_the_lesson_keep_away_from_the_reference(lesson):
    """Does the lesson never import autograder.reference (the grader's answers)?"""
    assert "autograder.reference" not in lesson_source(lesson).read_text(encoding="utf-8")


# ---- each exercise: the student version ------------------------------------------------------

@pytest.mark.parametrize("exercise", EXERCISES, ids=_exercise_ids)
def test_does_the_student_version_keep_the_def_line_and_the_docstring(exercise):
    """Has the released answer cell the def line and docstring of the source, taking the
    arguments the grader passes in order, with a body that only raises NotImplementedError?"""
    stub, _ = released_function(exercise.lesson, exercise.function)
    source = lesson_source(exercise.lesson).read_text(encoding="utf-8")
    def_line = re.compile(rf"^def {exercise.function}\(.*?\):", re.M | re.S)
    assert def_line.search(stub).group(0) == def_line.search(source).group(0)
    released = next(node for node in ast.parse(stub).body if isinstance(node, ast.FunctionDef))
    assert [a.arg for a in released.args.args] == list(exercise.inputs())
    written = next(node for node in ast.walk(ast.parse(source)) if
                   isinstance(node, ast.FunctionDef) and node.name == exercise.function)
    docstring = ast.get_docstring(released)
    assert docstring and docstring == ast.get_docstring(written)
    body = released.body[1:]
    assert len(body) == 1 and isinstance(body[0], ast.Raise) and \
        "NotImplementedError" in ast.unparse(body[0])


@pytest.mark.parametrize("exercise", EXERCISES, ids=_exercise_ids)
def test_is_the_unanswered_student_version_told_it_is_not_written_yet(exercise, capsys):
    """Does every released grade cell of the exercise, run on the released stub, fail saying
    the function is not written yet (not with a traceback)?"""
    _, stub = released_function(exercise.lesson, exercise.function)
    for grade_id, source in _released_cells(exercise).items():
        message = run_grade_cell(source, exercise.function, stub)
        assert message and "not written yet" in message, f"{grade_id}: {message}"


# ---- each exercise: the reference, the mistakes, a hard-coded answer -------------------------

@pytest.mark.parametrize("exercise", EXERCISES, ids=_exercise_ids)
def test_does_the_reference_pass_every_grade_cell_visible_and_hidden(exercise, capsys):
    """Does the right answer pass the released grade cells, their hidden tests, and the same
    checks on fresh seeds?"""
    released = _released_cells(exercise)
    assert set(released) == {grade_id for grade_id, _, _ in _cells_of(exercise)}
    for grade_id, source, name in _cells_of(exercise):
        assert run_grade_cell(released[grade_id], name, exercise.reference) is None, grade_id
        assert run_grade_cell(source, name, exercise.reference) is None, grade_id
    for part in ("shape", "values"):  # and on inputs no grade cell draws, as the verifier does
        check_exercise(exercise.id, exercise.reference, part=part, seeds=FRESH_SEEDS,
                       hidden=True, quiet=True)


def _drawn_alike(a, b):
    """Are two drawn inputs the same: equal arrays and numbers, random generators in the same
    state, functions (a cost's slope) that agree at a few points?"""
    if isinstance(a, np.random.Generator):
        return isinstance(b, np.random.Generator) and \
            repr(a.bit_generator.state) == repr(b.bit_generator.state)
    if callable(a):
        return callable(b) and all(np.array_equal(a(x), b(x)) for x in (-1.3, 0.0, 0.7))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and \
            all(_drawn_alike(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and \
            all(_drawn_alike(x, y) for x, y in zip(a, b))
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return np.shape(a) == np.shape(b) and np.array_equal(a, b)


@pytest.mark.parametrize("exercise", EXERCISES, ids=_exercise_ids)
def test_are_the_inputs_reproducible_and_fresh_on_hidden_seeds(exercise):
    """Does a seed always draw the same inputs, named like the reference's arguments, and does
    every hidden seed draw other inputs than the worked example?"""
    visible = exercise.inputs(VISIBLE_SEED)
    for seed in _grading_seeds(exercise):
        first, again = exercise.inputs(seed), exercise.inputs(seed)
        assert list(first) == list(visible)
        assert all(_drawn_alike(first[name], again[name]) for name in first), seed
        if seed != VISIBLE_SEED:
            assert not all(_drawn_alike(first[name], visible[name]) for name in first), \
                f"seed {seed} draws the worked example"


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=_mistake_ids(MISTAKES))
def test_does_each_mistake_differ_from_the_reference_on_every_grading_seed(exercise, wrong):
    """Is every mistake's answer unlike the right one, by 100 times the check's tolerance, on
    every seed the grade cells use and on fresh ones (so each seed can name it), save where it
    is provably no mistake (NO_MISTAKE_WHERE)?"""
    exempt = NO_MISTAKE_WHERE.get((exercise.lesson, wrong.key), lambda inputs: False)
    right_fn = getattr(exercise.reference, "__wrapped__", exercise.reference)
    wrong_fn = getattr(wrong.fn, "__wrapped__", wrong.fn)
    for seed in _grading_seeds(exercise) + list(FRESH_SEEDS):
        inputs = exercise.inputs(seed)
        if exempt(inputs):
            continue
        right = right_fn(*copy.deepcopy(list(inputs.values())))
        variant = wrong_fn(*copy.deepcopy(list(exercise.inputs(seed).values())))
        assert not _same(variant, right, exercise, MARGIN), \
            f"{wrong.key} is right (to {MARGIN} times the tolerance) on seed {seed}"


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=_mistake_ids(MISTAKES))
def test_is_each_mistake_named_by_the_visible_and_the_hidden_grade_cells(exercise, wrong,
                                                                         capsys):
    """Does the student's grade cell fail the mistake with its message and section, and do the
    hidden tests fail it with its message too, quoting no expected value, as does each hidden
    and fresh seed on its own?"""
    released = _released_cells(exercise)
    where = wrong.where or exercise.where
    visible = [message for grade_id, _, name in _cells_of(exercise)
               if (message := run_grade_cell(released[grade_id], name, wrong.fn))]
    assert visible, f"{wrong.key} passes every visible grade cell of {exercise.id}"
    assert any(wrong.message in m and where in m for m in visible), \
        f"{wrong.key}: the visible cells fail without naming it and {where}:\n{visible[0]}"
    hidden = [message for _, source, name in _cells_of(exercise) if split_hidden(source)[1]
              and (message := run_hidden_tests(source, name, wrong.fn))]
    assert hidden, f"{wrong.key} passes the hidden tests of {exercise.id}"
    assert any(wrong.message in m for m in hidden), \
        f"{wrong.key}: the hidden tests fail without naming it:\n{hidden[0]}"
    assert not any(re.search(r"expected \S+ =", m) for m in hidden), hidden
    exempt = NO_MISTAKE_WHERE.get((exercise.lesson, wrong.key), lambda inputs: False)
    misnamed = []
    for seed in sorted(set(_grading_seeds(exercise)) - {VISIBLE_SEED}) + list(FRESH_SEEDS):
        if exempt(exercise.inputs(seed)):
            continue
        with pytest.raises(CheckFailed) as failure:  # each seed alone names it too
            check_exercise(exercise.id, wrong.fn, part="values", seeds=[seed], hidden=True,
                           quiet=True)
        if wrong.message not in str(failure.value):
            misnamed.append(seed)
            assert (exercise.id, wrong.key, seed) in MISNAMED_ALONE, \
                f"seed {seed} alone does not name {wrong.key}: {failure.value}"
    stale = {seed for eid, key, seed in MISNAMED_ALONE if (eid, key) == (exercise.id, wrong.key)}
    assert stale <= set(misnamed), f"MISNAMED_ALONE lists seeds {stale - set(misnamed)} that " \
        "now name the mistake: remove them"
    if misnamed:
        why = MISNAMED_ALONE[exercise.id, wrong.key, misnamed[0]]
        pytest.xfail(f"seeds {misnamed} alone name another mistake: {why}")


@pytest.mark.parametrize("exercise", EXERCISES, ids=_exercise_ids)
def test_does_an_answer_hard_coded_from_the_worked_example_fail_the_hidden_tests(exercise,
                                                                                 capsys):
    """Does a function returning the worked example's expected values, whatever its inputs,
    fail every hidden block, as an answer wrong on other inputs (not by crashing)?"""
    answer = _student_form(exercise)(*exercise.inputs(VISIBLE_SEED).values())

    def hard_coded(*args, **kwargs):
        return copy.deepcopy(answer)

    for grade_id, source, name in _cells_of(exercise):
        if split_hidden(source)[1]:
            message = run_hidden_tests(source, name, hard_coded)
            assert message, f"{grade_id}: a hard-coded answer passes the hidden tests"
            # a check's own message (wrong values or shapes), not a crash in the check
            assert not re.match(r"\w+(Error|Exception): ", message), message


# ---- the contract can fail ---------------------------------------------------------------------
# Each test below breaks one thing the contract relies on and checks that its test fails, with a
# message that names what is wrong.

FIRST = EXERCISES[0]


def test_does_the_contract_fail_a_lesson_that_registers_nothing(monkeypatch):
    """Does a lesson with grade cells but no registry module fail, naming the module to add?"""
    monkeypatch.setattr(registry, "lesson_exercises", lambda lesson: [])
    with pytest.raises(AssertionError, match=r"registers no exercise: add autograder/exercises"):
        test_does_the_lesson_grade_exactly_its_registered_exercises(FIRST.lesson)


def test_does_the_contract_fail_hidden_seeds_that_are_not_the_registrys(monkeypatch):
    """Do hidden tests on other seeds than the registry's HIDDEN_SEEDS fail, and does a lesson
    module without HIDDEN_SEEDS fail naming it?"""
    module = lesson_module(FIRST.lesson)
    monkeypatch.setattr(module, "HIDDEN_SEEDS", (9001, 9002, 9003))
    with pytest.raises(AssertionError, match="the registry says"):
        test_do_the_hidden_tests_use_the_lessons_own_hidden_seeds(FIRST.lesson)
    monkeypatch.delattr(module, "HIDDEN_SEEDS")
    with pytest.raises(AssertionError, match="has no HIDDEN_SEEDS"):
        test_do_the_hidden_tests_use_the_lessons_own_hidden_seeds(FIRST.lesson)


def test_does_the_contract_fail_a_mistake_the_grade_cells_do_not_name(capsys):
    """Is a registered mistake whose message the checks never print reported?"""
    wrong = dataclasses.replace(FIRST.mistakes[0], message="a message no check prints")
    with pytest.raises(AssertionError, match="fail without naming it"):
        test_is_each_mistake_named_by_the_visible_and_the_hidden_grade_cells(FIRST, wrong,
                                                                             capsys)


def test_does_the_contract_fail_a_mistake_that_is_the_right_answer(capsys):
    """Is a 'mistake' that computes the reference reported, as indistinguishable and as never
    failing a grade cell?"""
    wrong = dataclasses.replace(FIRST.mistakes[0], fn=FIRST.reference)
    with pytest.raises(AssertionError, match="is right .* on seed"):
        test_does_each_mistake_differ_from_the_reference_on_every_grading_seed(FIRST, wrong)
    with pytest.raises(AssertionError, match="passes every visible grade cell"):
        test_is_each_mistake_named_by_the_visible_and_the_hidden_grade_cells(FIRST, wrong,
                                                                             capsys)


def test_does_the_contract_fail_hidden_tests_on_the_worked_example(monkeypatch, capsys):
    """Would hidden tests that redraw the worked example (seed 0) let a hard-coded answer
    through, and does the contract say so?"""
    cells = [(grade_id, re.sub(r"seeds=\[[\d,\s]+\]", f"seeds=[{VISIBLE_SEED}]", source), name)
             for grade_id, source, name in CELLS[FIRST.id]]
    monkeypatch.setitem(CELLS, FIRST.id, cells)
    with pytest.raises(AssertionError, match="a hard-coded answer passes the hidden tests"):
        test_does_an_answer_hard_coded_from_the_worked_example_fail_the_hidden_tests(FIRST,
                                                                                     capsys)


def test_does_the_contract_fail_a_def_line_the_grader_cannot_call():
    """Is an exercise whose drawn inputs are not the def line's arguments, in order, reported?"""
    def reversed_inputs(rng, **kwargs):
        return dict(reversed(list(FIRST.make_inputs(rng, **kwargs).items())))

    swapped = dataclasses.replace(FIRST, make_inputs=reversed_inputs, worked_example=None)
    with pytest.raises(AssertionError):
        test_does_the_student_version_keep_the_def_line_and_the_docstring(swapped)


def test_does_the_contract_fail_a_released_stub_that_answers(monkeypatch, capsys):
    """Is a student version whose answer cell leaks a working body (no NotImplementedError)
    reported, both as a changed body and as not saying "not written yet"?"""
    import lesson_cells

    def leaking(lesson, function):
        stub, _ = lesson_cells.released_function(lesson, function)
        leaked = stub.replace("raise NotImplementedError()", "return None")
        namespace = {"np": np}
        exec(leaked, namespace)
        return leaked, namespace[function]

    monkeypatch.setattr(sys.modules[__name__], "released_function", leaking)
    with pytest.raises(AssertionError):
        test_does_the_student_version_keep_the_def_line_and_the_docstring(FIRST)
    with pytest.raises(AssertionError, match="None|not written yet"):
        test_is_the_unanswered_student_version_told_it_is_not_written_yet(FIRST, capsys)
