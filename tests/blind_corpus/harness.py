"""Score answers the way the grade cells do, in process: one lesson, one answer at a time.

Not a test module. :func:`score_answer` starts from the lesson's solution (every function the
instructor's version defines), lets an answer's code replace the function(s) it defines, then
runs every grade cell of the lesson (``check_exercise`` calls, as written in course/source)
in that namespace and returns the points of each.
"""
from __future__ import annotations

import ast
import contextlib
import io
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: lesson_cells

from autograder.checks import CheckFailed, check_exercise  # noqa: E402
from autograder.notebook import nbgrader_meta  # noqa: E402
from lesson_cells import CALL, instructor_notebook  # noqa: E402

_KEEP = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign)


def _definitions(source):
    """The imports and definitions of a cell (worked examples, plots and demos left out)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    kept = [node for node in tree.body if isinstance(node, _KEEP)
            and not (isinstance(node, ast.ImportFrom) and node.module == "autograder.widgets")]
    return [ast.unparse(node) for node in kept]


def defining_cells(lesson):
    """The definitions of every code cell of the instructor's version but the grade cells."""
    return [_definitions(cell.source) for cell in instructor_notebook(lesson).cells
            if cell.cell_type == "code" and not nbgrader_meta(cell).get("grade")]


@dataclass
class CellScore:
    grade_id: str
    exercise_id: str
    points: float
    max_points: float
    message: str = ""
    mistake: str | None = None  # the key of the mistake the message names (CheckFailed.mistake)
    located: bool = False  # the message locates the difference instead (CheckFailed.located)


def _grade_cells(lesson):
    cells = []
    for cell in instructor_notebook(lesson).cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        calls = {c[0] for c in CALL.findall(cell.source)}
        if len(calls) == 1:
            cells.append((meta["grade_id"], calls.pop(), cell.source,
                          float(meta.get("points", 0))))
    return cells


_CACHE = {}


def lesson_cells(lesson):
    """(defining cell sources, grade cells) of a lesson, read once."""
    if lesson not in _CACHE:
        _CACHE[lesson] = (defining_cells(lesson), _grade_cells(lesson))
    return _CACHE[lesson]


_BASE = {}


def solution_namespace(lesson):
    """A fresh namespace with every function of the lesson's instructor version defined (built
    once per lesson, then copied with every function rebound to the copy)."""
    if lesson not in _BASE:
        _BASE[lesson] = _build_namespace(lesson)
    base = _BASE[lesson]
    namespace = dict(base)
    for name, value in base.items():
        if type(value) is types.FunctionType and value.__globals__ is base:
            fresh = types.FunctionType(value.__code__, namespace, value.__name__,
                                       value.__defaults__, value.__closure__)
            fresh.__kwdefaults__ = value.__kwdefaults__
            fresh.__dict__.update(value.__dict__)
            namespace[name] = fresh
    return namespace


def _build_namespace(lesson):
    sources, _ = lesson_cells(lesson)
    namespace = {"__name__": "__main__", "np": np, "check_exercise": check_exercise}
    with contextlib.redirect_stdout(io.StringIO()):
        for statements in sources:
            for statement in statements:
                try:  # a worked statement that needs what was left out: not a definition
                    exec(compile(statement, "<lesson>", "exec"), namespace)
                except Exception:  # noqa: BLE001
                    pass
    return namespace


def score_namespace(lesson, namespace):
    """Run every grade cell of ``lesson`` in ``namespace``: a list of :class:`CellScore`."""
    _, cells = lesson_cells(lesson)
    scores = []
    for grade_id, exercise_id, source, points in cells:
        message, key, located = "", None, False
        try:
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()) as err:
                exec(compile(source, f"<grade cell {grade_id}>", "exec"), namespace)
            if err.getvalue():
                message = "stderr: " + err.getvalue()[:300]
        except CheckFailed as failure:
            message = str(failure)
            key, located = failure.mistake, bool(getattr(failure, "located", False))
        except Exception as error:  # noqa: BLE001 - the cell errors: 0 points, as in nbgrader
            message = f"{type(error).__name__}: {error}"
        scores.append(CellScore(grade_id, exercise_id, 0.0 if message else points, points,
                                message, key, located))
    return scores


def score_answer(lesson, source):
    """Scores of the lesson with ``source`` (an answer's code) run over the solution."""
    namespace = solution_namespace(lesson)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "<answer>", "exec"), namespace)
    return score_namespace(lesson, namespace)
