"""What of a submission runs in the verifier: the released lesson code plus the student's own code.

:func:`extract_code` reads a submission (a copy of its bytes; the file is never written) and
returns its code cells in notebook order, without any grade cell:

* **lesson cells** (setup and worked code, every code cell of the lesson that is neither an
  answer nor a test) come from the instructor's version of the lesson, built from
  ``course/source`` with :func:`autograder.build.text_to_notebook`, never from the student's file.
  A student's cell is recognised as a lesson cell by its cell id (the build gives every cell a
  stable id, and Jupyter keeps it) or by its nbgrader ``grade_id``; an edited lesson cell runs as
  released, and a deleted one runs anyway, where it stood in the lesson. When the student
  edited a lesson cell that nbgrader does not lock (the lessons' worked cells are editable), the
  student's version runs too, right after the released one, as the student's own code
  (``"edited"``): the kernel ran it, and a helper an honest student defined there must not be
  lost. A locked cell's edit is ignored, as nbgrader ignores it;
* **answer cells** (nbgrader solution cells) and **added cells** (anything else the student
  wrote) run as the student wrote them;
* grade cells (tests) and markdown never run; a student cell that claims a test's id or has
  nbgrader's ``grade`` flag without ``solution`` is dropped too (dropping one of the student's own
  cells can only cost the student).

IPython syntax (``%matplotlib inline``, ``!ls``) is turned into plain Python here, on the
grader's side; in the sandbox the magics do nothing.

Cells that take long or fail: every cell runs on its own, with its own time limit (see
:mod:`autograder.integrity.verify`). An error or a timeout is recorded and the next cell runs,
as in a notebook run with "continue on error", so a failing worked cell (a plot that needs a
display, a widget, an assertion on an unfinished exercise) never hides the answers after it. A
cell that ends the whole process is recorded and left out of a restarted run.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..build import COURSE, text_to_notebook
from ..notebook import MAX_NOTEBOOK_BYTES, MalformedNotebook, read_notebook
from ..notebook import nbgrader_meta as _nbgrader


class UnreadableNotebook(ValueError):
    """The submission is not a notebook this module can read; the message says why."""


@dataclass(frozen=True)
class CodeCell:
    """One cell to run in the verifier.

    Attributes
    ----------
    origin : {"lesson", "answer", "added", "edited"}
    label : str
        The grade_id, else the cell id, else the position in the submission.
    source : str
        Plain Python (IPython syntax already transformed).
    raw : str
        The cell as written.
    """

    origin: str
    label: str
    source: str
    raw: str = ""  # as written (before the IPython transformation), for the report's flags

    @property
    def name(self):
        """The file name shown in tracebacks: ``<answer neuron_forward>``."""
        return f"<{self.origin} {self.label}>"


@dataclass
class Extraction:
    """The code of a submission, ready to run, and what was noticed on the way."""

    cells: list
    dropped_tests: list = field(default_factory=list)
    edited_lesson_cells: list = field(default_factory=list)
    deleted_lesson_cells: list = field(default_factory=list)
    added_cells: list = field(default_factory=list)
    #: Cells of the student's longer than :data:`MAX_CELL_CHARS`: replaced by a cell that
    #: raises (their exercises are then not confirmed), never parsed.
    too_long_cells: list = field(default_factory=list)


#: The longest source of one student cell the verifier parses and runs. An answer is a few
#: kilobytes; an 8 MB cell of padding took the grader's parser to 4.4 GiB and 220 s (red team
#: round 5), within the 64 MiB notebook cap.
MAX_CELL_CHARS = 100_000


def _runnable(label, source, result):
    """A student's cell as the verifier runs it: itself, or a stand-in that raises when it is
    longer than :data:`MAX_CELL_CHARS` (recorded in ``result.too_long_cells``)."""
    if len(source) <= MAX_CELL_CHARS:
        return to_python(source), source
    result.too_long_cells.append(label)
    return (f"raise RuntimeError('this cell has {len(source):,} characters, more than the "
            f"{MAX_CELL_CHARS:,} the grader reads: it was not run')\n"), ""


def _source(cell):
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def _locked(cell):
    return bool(_nbgrader(cell).get("locked"))


def _kind(cell):
    """``test``, ``answer`` or ``lesson`` for a code cell of the instructor's notebook."""
    meta = _nbgrader(cell)
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("solution"):
        return "answer"
    return "lesson"


@functools.lru_cache(maxsize=16)
def _instructor_cells(py_path, mtime):
    nb = text_to_notebook(py_path)
    return tuple((cell.get("id"), _nbgrader(cell).get("grade_id"), _kind(cell), _source(cell),
                  _locked(cell))
                 for cell in nb.cells if cell.cell_type == "code")


def instructor_code_cells(lesson, course_dir=COURSE):
    """``(cell id, grade_id, kind, source, locked)`` of the lesson's code cells as released."""
    path = Path(course_dir) / "source" / lesson / f"{lesson}.py"
    if not path.is_file():
        raise FileNotFoundError(f"No lesson source {path}.")
    return _instructor_cells(str(path), path.stat().st_mtime_ns)


def read_submission_cells(notebook_path):
    """The cells of a submission as plain dicts (read by :mod:`autograder.notebook`, without
    running anything)."""
    try:
        nb = read_notebook(notebook_path, MAX_NOTEBOOK_BYTES, validate=False)
    except MalformedNotebook as error:
        raise UnreadableNotebook(str(error)) from None
    return [c for c in nb.cells if isinstance(c, dict)]


def to_python(source):
    """IPython cell syntax -> plain Python (magics become ``get_ipython()`` calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with jupyter
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # a cell IPython cannot parse is run as written (and fails to compile)
        return source


def extract_code(notebook_path, lesson, course_dir=COURSE):
    """The code that the verifier runs for a submission, in notebook order.

    Parameters
    ----------
    notebook_path : path-like
        The student's notebook (only read).
    lesson : str
        Lesson id, e.g. ``"01_single_neuron"``.
    course_dir : path-like
        The nbgrader course folder holding ``source/<lesson>/<lesson>.py``.

    Returns
    -------
    Extraction

    Raises
    ------
    UnreadableNotebook
    """
    released = instructor_code_cells(lesson, course_dir)
    lesson_cells = [(i, cell_id, grade_id, source)
                    for i, (cell_id, grade_id, kind, source, _) in enumerate(released)
                    if kind == "lesson"]
    locked = {i for i, (_, _, _, _, is_locked) in enumerate(released) if is_locked}
    by_key = {}
    for i, cell_id, grade_id, _ in lesson_cells:
        for key in (cell_id, grade_id):
            if key:
                by_key[key] = i
    tests = {key for cell_id, grade_id, kind, _, _ in released if kind == "test"
             for key in (cell_id, grade_id) if key}
    answers = {grade_id: i for i, (_, grade_id, kind, _, _) in enumerate(released)
               if kind == "answer" and grade_id}
    sources = {i: source for i, _, _, source in lesson_cells}

    result = Extraction(cells=[])
    emitted = set()

    def emit_lesson_cells_before(position):
        for i, cell_id, grade_id, source in lesson_cells:
            if i < position and i not in emitted:
                emitted.add(i)
                label = grade_id or cell_id or str(i)
                result.cells.append(CodeCell("lesson", label, to_python(source)))
                result.deleted_lesson_cells.append(label)

    for number, cell in enumerate(read_submission_cells(notebook_path)):
        if cell.get("cell_type") != "code":
            continue
        meta = _nbgrader(cell)
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else None
        grade_id = meta.get("grade_id") if isinstance(meta.get("grade_id"), str) else None
        keys = [k for k in (cell_id, grade_id) if k]
        label = grade_id or cell_id or f"cell {number}"
        if any(k in tests for k in keys) or (meta.get("grade") and not meta.get("solution")):
            result.dropped_tests.append(label)
            continue
        index = next((by_key[k] for k in keys if k in by_key), None)
        if index is not None and index not in emitted:
            emit_lesson_cells_before(index)
            emitted.add(index)
            result.cells.append(CodeCell("lesson", label, to_python(sources[index])))
            if _source(cell) != sources[index]:
                result.edited_lesson_cells.append(label)
                if index not in locked:
                    result.cells.append(CodeCell("edited", label,
                                                 *_runnable(label, _source(cell), result)))
            continue
        if grade_id in answers and meta.get("solution"):
            emit_lesson_cells_before(answers[grade_id])
            result.cells.append(CodeCell("answer", grade_id,
                                         *_runnable(grade_id, _source(cell), result)))
            continue
        result.added_cells.append(label)
        result.cells.append(CodeCell("added", label, *_runnable(label, _source(cell), result)))
    emit_lesson_cells_before(float("inf"))  # deleted lesson cells after the student's last
    return result
