"""Helpers for tests that run the lessons' own cells outside a kernel (not a test module)."""
import ast
import functools
import re
from pathlib import Path

import numpy as np

from autograder.build import find_lessons, text_to_notebook
from autograder.checks import CheckFailed, check_exercise
from autograder.notebook import nbgrader_meta

REPO = Path(__file__).resolve().parent.parent
# check_exercise("<id>", fn, ...) or check_exercise("<id>", adapter(fn), ...)
CALL = re.compile(r'check_exercise\(\s*"([^"]+)",\s*(?:[A-Za-z_]\w*\()?([A-Za-z_]\w*)')


def instructor_notebook(lesson):
    return text_to_notebook(REPO / "course" / "source" / lesson / f"{lesson}.py")


def grade_cells():
    """(lesson, grade_id, source, exercise id, function name) for every check_exercise cell."""
    cells = []
    for lesson in find_lessons(REPO / "course"):
        for cell in instructor_notebook(lesson).cells:
            meta = nbgrader_meta(cell)
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            calls = set(CALL.findall(cell.source))
            if len(calls) == 1:
                exercise_id, name = calls.pop()
                cells.append((lesson, meta["grade_id"], cell.source, exercise_id, name))
    return cells


def run_grade_cell(source, name, fn, namespace=None):
    """Run a grade cell's source with `name` bound to `fn`; the failure message or None.

    Where the cell wraps the student's function in an adapter (lesson 4 turns two lists into a
    dict), the registered functions are already wrapped: bind the function they wrap."""
    fn = getattr(fn, "__wrapped__", fn) if f"({name})" in source else fn
    namespace = dict(namespace or {})
    namespace.update({"check_exercise": check_exercise, "np": np, name: fn})
    try:
        exec(compile(source, "<grade cell>", "exec"), namespace)
    except CheckFailed as failure:
        return str(failure)
    except Exception as error:  # a crash inside the student's code is a failed cell too
        return f"{type(error).__name__}: {error}"
    return None


def _defines_only(source):
    """Is a cell only imports, function/class definitions and constant assignments?"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    return all(isinstance(node, allowed) or (isinstance(node, ast.Expr)
               and isinstance(node.value, ast.Constant)) for node in tree.body)


def defining_cells(lesson):
    """Sources of the instructor version's code cells that only import and define functions:
    the student's solutions and the lesson's given helpers, without worked or test cells."""
    return [cell.source for cell in instructor_notebook(lesson).cells
            if cell.cell_type == "code" and not nbgrader_meta(cell).get("grade")
            and _defines_only(cell.source)]


def solution_source(lesson, function):
    """The source of the solution cell that defines `function`."""
    for cell in instructor_notebook(lesson).cells:
        if nbgrader_meta(cell).get("solution") and cell.cell_type == "code" and \
                re.search(rf"^def {function}\(", cell.source, re.M):
            return cell.source
    raise LookupError(f"no solution cell defines {function} in {lesson}")


# ---- the student's version and the hidden tests (tests/lessons/test_lesson_contract.py) ----

HIDDEN_BLOCK = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS\n?", re.S)


@functools.lru_cache(maxsize=None)
def released_notebook(lesson):
    """The student version as released, ``notebooks/<lesson>/<lesson>.ipynb`` (built file),
    read once per test process: callers only read it."""
    import nbformat

    return nbformat.read(REPO / "notebooks" / lesson / f"{lesson}.ipynb", as_version=4)


def split_hidden(source):
    """``(visible, hidden)``: a grade cell's source without its hidden-test blocks (what the
    student sees), and the code inside those blocks (empty when it has none)."""
    return HIDDEN_BLOCK.sub("", source), "".join(HIDDEN_BLOCK.findall(source))


def run_hidden_tests(source, name, fn, namespace=None):
    """Run only the hidden tests of a grade cell: its visible lines first, with the checks
    turned off (so that the imports and adapters they set up exist), then the hidden block
    with the real checks. The failure message, or None when the hidden tests pass."""
    visible, hidden = split_hidden(source)
    setup = dict(namespace or {})
    setup.update({"np": np, name: fn})
    exec(compile(visible, "<grade cell, visible>", "exec"),
         {**setup, "check_exercise": lambda *args, **kwargs: None}, setup)
    return run_grade_cell(hidden, name, fn, setup)


def released_function(lesson, function):
    """The student's starting point: the released stub of ``function``, compiled alone."""
    for cell in released_notebook(lesson).cells:
        if cell.cell_type == "code" and nbgrader_meta(cell).get("solution") and \
                re.search(rf"^def {function}\(", cell.source, re.M):
            namespace = {"np": np}
            exec(compile(cell.source, f"<{lesson}: {function}>", "exec"), namespace)
            return cell.source, namespace[function]
    raise LookupError(f"notebooks/{lesson}/{lesson}.ipynb has no answer cell defining "
                      f"{function}: run `make build`")
