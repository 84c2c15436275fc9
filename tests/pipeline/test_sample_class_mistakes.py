"""Is every misconception in the sample class plain student code that makes the registered mistake?

The misconception students of sample_class/ (nia_opposite_sign, oli_sum_not_mean, ...) and
hal_edited_tests answer with the bodies in ``sample_class.generate.MISTAKE_BODIES``, keyed by
(exercise id, mistake key). Each body is run here as the student's function, with only what the
released notebook defines before its answer cell (``generate.answer_function``), and must

* be plain code: no import, so nothing of the grader's registry or reference, which the
  out-of-kernel verifier cannot import and treats as cheating;
* return what the registry's wrong variant (the first with that key) returns, to 1e-12, on the
  worked example, the lesson's hidden seeds and fresh seeds like the verifier's;
* pass and fail the same grade cells as that variant, and be named by them.

No kernel runs: a few seconds.
"""
import ast
import copy
import importlib
import re
import textwrap

import numpy as np
import pytest

from autograder import exercises
from lesson_cells import grade_cells, run_grade_cell
from layout import REPO

generator = importlib.import_module("sample_class.generate")

#: A body must agree with the registry's variant to this (both compute the same formula in
#: float64; a different order of operations moves the last bits only, ~1e-15 measured).
RTOL = ATOL = 1e-12
#: Inputs nobody's grade cell uses, as the verifier draws fresh ones.
FRESH_SEEDS = (7001, 7002, 7003)
PAIRS = sorted(generator.MISTAKE_BODIES)
CELLS_BY_EXERCISE = {}
for _lesson, _grade_id, _source, _exercise_id, _name in grade_cells():
    CELLS_BY_EXERCISE.setdefault(_exercise_id, []).append((_grade_id, _source, _name))


@pytest.fixture(scope="module")
def materials():
    from autograder.build import find_lessons

    return {lesson: generator.load_lesson(lesson, REPO)
            for lesson in find_lessons(REPO / "course")}


def _registered(exercise_id, key):
    exercise = exercises.get(exercise_id)
    return exercise, next(m for m in exercise.mistakes if m.key == key)


def _seeds(exercise_id):
    """The worked example, every seed the lesson's grade cells use, and fresh ones."""
    hidden = {int(seed) for _, source, _ in CELLS_BY_EXERCISE[exercise_id]
              for group in re.findall(r"seeds=\[([\d,\s]+)\]", source)
              for seed in group.split(",")}
    return [exercises.VISIBLE_SEED, *sorted(hidden), *FRESH_SEEDS]


def _differences(student, registry, where="result"):
    """Where two returned values differ in structure, shape or value (empty when they agree)."""
    if isinstance(registry, dict):
        if not isinstance(student, dict) or set(student) != set(registry):
            return [f"{where}: {_kind(student)} where the registry returns keys {list(registry)}"]
        return [d for key in registry
                for d in _differences(student[key], registry[key], f"{where}[{key!r}]")]
    if isinstance(registry, (list, tuple)):
        if not isinstance(student, (list, tuple)) or len(student) != len(registry):
            return [f"{where}: {_kind(student)} where the registry returns {len(registry)} items"]
        return [d for i, (s, r) in enumerate(zip(student, registry))
                for d in _differences(s, r, f"{where}[{i}]")]
    student, registry = np.asarray(student, dtype=np.float64), np.asarray(registry, np.float64)
    if student.shape != registry.shape:
        return [f"{where}: shape {student.shape}, registry {registry.shape}"]
    if not np.allclose(student, registry, rtol=RTOL, atol=ATOL):
        return [f"{where}: differs by up to {np.max(np.abs(student - registry)):.3g}"]
    return []


def _kind(value):
    return f"keys {list(value)}" if isinstance(value, dict) else type(value).__name__


def _plain_code_problems(body):
    """Why a body is not what a student writes in a cell (empty when it is plain code)."""
    tree = ast.parse(textwrap.dedent(body))
    problems = [f"line {n.lineno} imports: names must come from the notebook"
                for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    problems += [f"line {n.lineno} uses {n.id}" for n in ast.walk(tree)
                 if isinstance(n, ast.Name) and n.id in ("__import__", "importlib", "exec",
                                                         "eval")]
    return problems


def _disagreements(material, exercise_id, key, body):
    """Every seed on which the body, run as the student's function, does not return what the
    registry's variant returns (a raised error counts)."""
    exercise, mistake = _registered(exercise_id, key)
    student = generator.answer_function(material, exercise.function, body)
    # The registry's variant of an exercise graded through an adapter (lesson 4 turns two lists
    # into a dict) wraps the function a student writes: compare with the function it wraps.
    variant = getattr(mistake.fn, "__wrapped__", mistake.fn)
    found = []
    for seed in _seeds(exercise_id):
        inputs = list(exercise.inputs(seed).values())
        try:
            result = student(*copy.deepcopy(inputs))
        except Exception as error:
            found.append(f"seed {seed}: raised {type(error).__name__}: {error}")
            continue
        found += [f"seed {seed}: {d}"
                  for d in _differences(result, variant(*copy.deepcopy(inputs)))]
    return found


def _verdicts(exercise_id, fn):
    """``{grade_id: None if the cell passes else its message}`` over the exercise's grade cells."""
    return {grade_id: run_grade_cell(source, name, fn)
            for grade_id, source, name in CELLS_BY_EXERCISE[exercise_id]}


# ---- every body in the table ---------------------------------------------------------------

@pytest.mark.parametrize("exercise_id, key", PAIRS)
def test_the_body_is_plain_code_a_student_writes(exercise_id, key):
    """Does the body use only names the notebook gives, importing nothing (so nothing of the
    grader's registry or reference)?"""
    assert _plain_code_problems(generator.MISTAKE_BODIES[exercise_id, key]) == []


@pytest.mark.parametrize("exercise_id, key", PAIRS)
def test_the_body_returns_what_the_registered_mistake_returns(exercise_id, key, materials):
    """Run as the student's function, does the body return the registry's wrong variant to
    1e-12, on the worked example, the hidden seeds and fresh seeds?"""
    material = materials[exercises.get(exercise_id).lesson]
    body = generator.MISTAKE_BODIES[exercise_id, key]
    assert _disagreements(material, exercise_id, key, body) == []


@pytest.mark.parametrize("exercise_id, key", PAIRS)
def test_the_grade_cells_treat_the_body_as_the_mistake_and_name_it(exercise_id, key,
                                                                   materials, capsys):
    """Does every grade cell of the exercise pass or fail the body as it does the registry's
    variant, and does a failing one name the mistake?"""
    exercise, mistake = _registered(exercise_id, key)
    student = generator.answer_function(materials[exercise.lesson], exercise.function,
                                        generator.MISTAKE_BODIES[exercise_id, key])
    by_body, by_registry = _verdicts(exercise_id, student), _verdicts(exercise_id, mistake.fn)
    assert {g: m is None for g, m in by_body.items()} == \
        {g: m is None for g, m in by_registry.items()}
    failures = [message for message in by_body.values() if message is not None]
    assert failures and any(mistake.message in message for message in failures), failures


def test_the_class_uses_exactly_the_bodies_in_the_table(materials, monkeypatch):
    """Is every misconception the class needs written out, and every body in the table used?"""
    used = []
    original = generator.mistake_body
    monkeypatch.setattr(generator, "mistake_body",
                        lambda exercise_id, key: used.append((exercise_id, key))
                        or original(exercise_id, key))
    generator.students(materials)
    assert sorted(set(used)) == PAIRS


# ---- the checks can fail -------------------------------------------------------------------

def test_generation_stops_when_a_needed_body_is_missing(materials, monkeypatch):
    """Does the generator refuse, naming the exercise and the misconception, when the table
    lacks a body the class needs (rather than writing a student who is not what the README
    says)?"""
    pair = ("04_generalised_delta.hidden_delta", "sigma_for_sigma_prime")
    monkeypatch.delitem(generator.MISTAKE_BODIES, pair)
    with pytest.raises(generator.MissingMistakeBody, match=r"sigma_for_sigma_prime.*hidden_delta"):
        generator.students(materials)


def test_a_body_that_calls_the_grader_is_not_plain_code():
    """Is the old kind of body, which asked the registry for the wrong answer, refused?"""
    old = ("from autograder.exercises import get as _exercise\n"
           "return _exercise('04_generalised_delta.output_delta').mistakes[0].fn(y, t)\n")
    assert _plain_code_problems(old)
    assert _plain_code_problems("return __import__('autograder.reference').x\n")


OPPOSITE_SIGN = ("04_generalised_delta.output_delta", "opposite_sign")


@pytest.mark.parametrize("wrong_body, why", [
    ("return (y - t) * y * (1 - y)\n", "the right answer"),
    ("return (y - t) * y\n", "another mistake (sigma for sigma')"),
    ("return (t - y) * y * (1 - y) * (1 + 1e-9)\n", "off by one part in a billion"),
    ("return (t - y).T * y.T * (1 - y.T)\n", "transposed"),
])
def test_a_body_that_computes_something_else_is_rejected(wrong_body, why, materials):
    """Does the comparison reject a body that is not the registered mistake?"""
    material = materials["04_generalised_delta"]
    assert _disagreements(material, *OPPOSITE_SIGN, wrong_body), why


def test_a_body_that_relies_on_another_answer_is_rejected(materials):
    """Does a body that calls another exercise's function fail (that answer is the student's
    own, possibly wrong; here it is the released stub)?"""
    leaning = """
        m = x.shape[0]
        forward = delta_forward(x, w, b1, u, b2)
        delta_out = -output_delta(forward["y"], t)
        delta_hid = hidden_delta(delta_out, u, forward["h"])
        return {"dw": x.T @ delta_hid / m, "db1": delta_hid.mean(axis=0),
                "du": forward["h"].T @ delta_out / m, "db2": delta_out.mean(axis=0)}
    """
    found = _disagreements(materials["04_generalised_delta"],
                           "04_generalised_delta.delta_gradients", "opposite_sign", leaning)
    assert found and all("NotImplementedError" in f for f in found)


def test_grade_cells_that_pass_the_right_answer_are_told_apart(materials, capsys):
    """Would the grade-cell comparison notice a body that passes where the mistake fails?"""
    exercise, mistake = _registered(*OPPOSITE_SIGN)
    right = generator.answer_function(materials["04_generalised_delta"], exercise.function,
                                      "return (y - t) * y * (1 - y)\n")
    assert {g: m is None for g, m in _verdicts(exercise.id, right).items()} != \
        {g: m is None for g, m in _verdicts(exercise.id, mistake.fn).items()}
