"""Each lesson as students and self-learners meet it: opened in JupyterLab, run from the Run menu.

A student's fresh notebook must fail only where an exercise is still to be written; a solved
notebook must run clean, every visible test passing. What counts is what the page shows: the
prompts and the error outputs in the DOM. Every run leaves screenshots of the whole notebook,
top to bottom, in build/screenshots/<lesson>-student-1.png, -2.png, ... and
<lesson>-solved-1.png, ...
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from labdriver import NotebookPage

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]

LESSONS = sorted(p.parent.name for p in (REPO / "notebooks").glob("*/*.ipynb")
                 if p.stem == p.parent.name and not p.stem.startswith("00_"))  # 00: the landing page
#: What an ipywidgets output says when its view cannot be shown.
WIDGET_FAILURES = ("Error displaying widget", "model not found")


def _grade_cells(path):
    """{cell index: grade_id} of the autograded (code) test cells of a notebook file."""
    nb = nbformat.read(path, as_version=4)
    return {i: c.metadata["nbgrader"]["grade_id"] for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")}


def _exception_line(traceback_text):
    """The last line of a traceback as the page shows it: ``Name: message``."""
    lines = [line for line in traceback_text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _is_unanswered_exercise(traceback_text):
    """Is this error the one an unwritten exercise raises (directly, or through its check)?"""
    last = _exception_line(traceback_text)
    # a check's message is shown alone, first line marked with a cross (CheckFailed's
    # _render_traceback_), or as "CheckFailed: ..." where IPython falls back to a traceback
    first = traceback_text.strip().splitlines()[0].strip() if traceback_text.strip() else ""
    return bool(re.match(r"NotImplementedError\b", last)) or (
        last.startswith("CheckFailed:") and "not written yet" in last) or (
        first.startswith("\u2718") and "not written yet" in first)


def _widget_failures(page):
    return [text for text in page.locator(".jp-OutputArea-output").all_inner_texts()
            if any(failure in text for failure in WIDGET_FAILURES)]


def _assert_not_saved(lab_root, kind, lesson):
    """The served copy is byte for byte the repository's file: nothing was saved."""
    name = Path(kind) / lesson / f"{lesson}.ipynb"
    assert (lab_root / name).read_bytes() == (REPO / name).read_bytes(), f"{name} was saved"


def _open(page, lab, kind, lesson):
    return NotebookPage(page, lab, Path(kind) / lesson / f"{lesson}.ipynb").open()


def test_there_are_six_lessons_to_open():
    """Does notebooks/ hold the six numbered lessons these tests open (01 to 06)?"""
    numbered = [lesson for lesson in LESSONS if not lesson.startswith("00")]
    assert len(numbered) == 6 and numbered[0] == "01_single_neuron"
    assert numbered[-1] == "06_minibatch_sgd"


@pytest.mark.parametrize("lesson", LESSONS)
def test_does_a_fresh_student_notebook_fail_only_where_exercises_are_unanswered(
        lesson, page, lab, lab_root, screenshots):
    """Run all (going on past each error, as a student does): does every code cell run, is every
    error a NotImplementedError or a check's "not written yet", and does every autograded test
    cell show one (nothing passes untouched)?"""
    notebook = _open(page, lab, "notebooks", lesson)
    n_failing = notebook.run_all_past_errors()
    cells = notebook.cells()
    notebook.screenshot_whole(screenshots / f"{lesson}-student.png")

    grade_cells = _grade_cells(lab_root / "notebooks" / lesson / f"{lesson}.ipynb")
    code = [c for c in cells if c.is_code]
    assert code and all(c.executed for c in code), \
        [(c.index, c.prompt) for c in code if not c.executed]
    unexpected = [(c.index, grade_cells.get(c.index, "(not a test cell)"), _exception_line(e))
                  for c in code for e in c.errors if not _is_unanswered_exercise(e)]
    assert not unexpected
    silent = [grade_id for index, grade_id in grade_cells.items() if not cells[index].errors]
    assert grade_cells and not silent, f"test cells that pass with no answer: {silent}"
    assert n_failing >= len(grade_cells)
    assert not _widget_failures(page)
    _assert_not_saved(lab_root, "notebooks", lesson)


@pytest.mark.parametrize("lesson", LESSONS)
def test_does_the_solved_notebook_run_clean_with_every_visible_test_passing(
        lesson, page, lab, lab_root, screenshots):
    """Run > Run All Cells on the solved notebook: does every code cell run, with no error and
    nothing on stderr anywhere, every test cell included, and every widget shown?"""
    notebook = _open(page, lab, "solutions", lesson)
    notebook.run_all()
    cells = notebook.cells()
    notebook.screenshot_whole(screenshots / f"{lesson}-solved.png")

    grade_cells = _grade_cells(lab_root / "solutions" / lesson / f"{lesson}.ipynb")
    code = [c for c in cells if c.is_code]
    assert code and all(c.executed for c in code), \
        [(c.index, c.prompt) for c in code if not c.executed]
    errors = [(c.index, grade_cells.get(c.index, "(not a test cell)"), _exception_line(e))
              for c in code for e in c.errors]
    assert not errors
    assert grade_cells and all(cells[i].executed for i in grade_cells)
    assert not _widget_failures(page)
    _assert_not_saved(lab_root, "solutions", lesson)
