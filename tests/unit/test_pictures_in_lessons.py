"""The picture cells of lessons 5 and 6 as a student first meets them: run in order in the
released notebook, with every exercise still a stub.

A picture cell must run there (no error, nothing on stderr, no warning) and show a picture or a
note saying which exercise to finish first; a picture drawn with the student's functions must
say so in its cell. The cells run in this process, the way a kernel would run them, with Agg.
"""
import ast
import contextlib
import functools
import io
import warnings

import matplotlib
import pytest

from autograder.pictures.lessons import Gallery, Note
from autograder.pictures.network import Captioned
from lesson_cells import released_notebook

pytestmark = pytest.mark.slow

#: Lesson -> (what its picture cells show while the exercises are stubs), in notebook order.
EXPECTED = {
    "05_deep_networks": ["picture"],
    # the digits need the student's sgd_epoch (a note); the vanishing gradients use the given
    # mlp_gradients (a picture)
    "06_minibatch_sgd": ["picture", "note", "picture"],
}


def _run(source, namespace):
    """Run a cell's source; the value of its last line if that is an expression (as shown)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None


@functools.lru_cache(maxsize=None)
def _picture_cells_as_a_student_runs_them(lesson):
    """[(source, shown, stderr, warnings, error)] of the picture cells, every cell run in order,
    the errors of unwritten exercises let through as "Run all" does past them."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    namespace, results = {"__name__": "__main__"}, []
    for cell in released_notebook(lesson).cells:
        if cell.cell_type != "code":
            continue
        stderr, shown, error = io.StringIO(), None, None
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()), \
                warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                shown = _run(cell.source, namespace)
            except Exception as exc:  # an unwritten exercise, or its check
                error = exc
        plt.close("all")
        if "autograder.pictures" in cell.source:
            results.append((cell.source, shown, stderr.getvalue(), caught, error))
    return results


@pytest.mark.parametrize("lesson", sorted(EXPECTED))
def test_do_the_picture_cells_run_before_any_exercise_is_written(lesson):
    """With every exercise a stub: does each picture cell run without an error, a warning or a
    line on stderr, and show a picture, or a note that names the exercise to finish first?"""
    cells = _picture_cells_as_a_student_runs_them(lesson)
    kinds = []
    for source, shown, stderr, caught, error in cells:
        first = source.strip().splitlines()[0]
        assert error is None, f"{lesson}, cell {first!r}: {type(error).__name__}: {error}"
        assert stderr == "" and not caught, (first, stderr, [str(w.message) for w in caught])
        if isinstance(shown, Note):
            assert shown.text.startswith("Finish Exercise ")
            kinds.append("note")
        else:
            assert isinstance(shown, (Captioned, Gallery)) and len(shown.caption) > 40
            kinds.append("picture")
    assert kinds == EXPECTED[lesson]


@pytest.mark.parametrize("lesson", sorted(EXPECTED))
def test_does_a_picture_drawn_with_the_students_functions_say_so(lesson):
    """Does every picture cell that shows a note (it calls the student's functions) say in its
    comment that it uses "your" functions?"""
    for source, shown, *_ in _picture_cells_as_a_student_runs_them(lesson):
        if isinstance(shown, Note):
            comment = " ".join(line for line in source.splitlines() if line.startswith("#"))
            assert "your" in comment.lower(), source
