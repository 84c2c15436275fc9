"""`python -m autograder check` and nbgrader's Validate button in JupyterLab agree.

A student who clicks Validate in the notebook toolbar (nbgrader's lab extension: it saves the
notebook, then the server runs nbgrader's validator on the file) and one who runs the course's
command on the same file must hear the same verdict for every graded cell. The notebook is
lesson 1 half done: the first two exercises and the first written answer carry the solution,
the rest are still stubs, so every verdict occurs: a test passes or fails, a written answer is
missing (both say so) or waits for a human (neither fails it).
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from labdriver import NotebookPage

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]

LESSON = "01_single_neuron"
SOLVED = {"code": 2, "markdown": 1}  # how many answers of each kind get their solution


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def _half_done(destination):
    """Lesson 1's student notebook with the solutions of its first answers pasted in, as a
    student would have it; returns the grade_ids of its graded cells (tests and written
    answers)."""
    student = nbformat.read(REPO / "notebooks" / LESSON / f"{LESSON}.ipynb", as_version=4)
    solved = nbformat.read(REPO / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    answers = {_nbgrader(c)["grade_id"]: c.source for c in solved.cells
               if _nbgrader(c).get("solution")}
    for kind, count in SOLVED.items():
        stubs = [c for c in student.cells if _nbgrader(c).get("solution") and c.cell_type == kind]
        for cell in stubs[:count]:
            cell.source = answers[_nbgrader(cell)["grade_id"]]
    destination.parent.mkdir(parents=True)
    nbformat.write(student, destination)
    return [_nbgrader(c)["grade_id"] for c in student.cells if _nbgrader(c).get("grade")]


def _validate_in_lab(notebook):
    """Click Validate, wait for nbgrader's result dialog, close it.

    Returns
    -------
    (str, list of str)
        The dialog's kind (``validation-success``, ``validation-failed``, ...) and the source of
        every cell it lists as failed.
    """
    page = notebook.page
    page.locator("jp-button.validate-button").click()
    body = page.locator(".jp-Dialog #validation-message")  # nbgrader's result, when it comes
    body.wait_for(timeout=180_000)
    kind = next(c for c in body.get_attribute("class").split() if c.startswith("validation-"))
    # Failed cells come as pairs of <pre>: the cell's source, then its error.
    pres = body.locator(".jp-RenderedText pre").all_inner_texts()
    page.locator(".jp-Dialog button", has_text="OK").click()
    return kind, pres[0::2]


def _check_command(path):
    """Run `python -m autograder check PATH`; {grade_id: full marks?} from its table, for the
    rows that have a score (a written answer that waits for a human shows "-")."""
    done = subprocess.run([sys.executable, "-m", "autograder", "check", str(path)],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: points missing
    verdicts = {}
    for line in done.stdout.splitlines():
        row = re.match(r"^(\S+)\s+([\d.]+)\s+([\d.]+)\s{2}(.*)$", line)
        if row:
            verdicts[row[1]] = float(row[2]) == float(row[3])
    return verdicts, done.stdout


def test_do_validate_in_jupyterlab_and_autograder_check_pass_and_fail_the_same_cells(
        page, lab, lab_root):
    """On a half-done lesson 1: do nbgrader's Validate button and `python -m autograder check`
    fail exactly the same graded cells (tests that fail, written answers not given), and let
    the others through (passing tests, a written answer given)?"""
    relative = f"validate/{LESSON}/{LESSON}.ipynb"
    graded = _half_done(lab_root / relative)
    notebook = NotebookPage(page, lab, relative).open()
    kind, failed_sources = _validate_in_lab(notebook)
    # Validate saved the notebook first: the command checks the very file Validate read.
    saved = nbformat.read(lab_root / relative, as_version=4)
    source_of = {_nbgrader(c)["grade_id"]: c.source.strip() for c in saved.cells
                 if _nbgrader(c).get("grade")}
    failed_in_lab = {grade_id for grade_id in graded
                     if source_of[grade_id] in {s.strip() for s in failed_sources}}
    assert kind == "validation-failed" and len(failed_in_lab) == len(failed_sources)

    verdicts, table = _check_command(lab_root / relative)
    tests = {_nbgrader(c)["grade_id"] for c in saved.cells
             if _nbgrader(c).get("grade") and c.cell_type == "code"}
    assert tests <= set(verdicts), table
    failed_by_command = {grade_id for grade_id in graded if verdicts.get(grade_id) is False}
    assert failed_in_lab == failed_by_command, table
    passed = tests - failed_in_lab
    written = set(graded) - tests
    assert failed_in_lab & tests and passed, table  # tests of both verdicts
    assert failed_in_lab & written and written - failed_in_lab, table  # answered and not
