"""Run a notebook headless and read its grade cells the way nbgrader scores them.

Not a test module: a helper of the build gates (``tests/lessons/test_build.py``: nbgrader's
validation triad, the instructor's version passes every test, the student version none, the
solutions every one). Grading submissions goes through nbgrader itself
(:mod:`autograder.pipeline.grading`).
"""
from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.notebook import nbgrader_meta

#: Per-cell time limit for a student's own check (nbgrader's default is 30 s).
DEFAULT_CELL_TIMEOUT = 20


@dataclass
class GradeCellResult:
    """The outcome of one grade cell."""

    grade_id: str
    points: float | None   # None: needs manual grading (written answers)
    max_points: float
    status: str            # "passed", "failed", "manual"
    message: str = ""      # first line of the error, for a failed cell


def kernel_env():
    """The environment for a kernel: this Python's scripts first on PATH, no MPLBACKEND."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the kernel would inherit it and plt.show() would draw nothing
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def execute_notebook(nb, cwd, timeout=DEFAULT_CELL_TIMEOUT, kernel_name="python3"):
    """Execute a copy of ``nb`` in ``cwd`` with every cell run even after errors.

    Parameters
    ----------
    nb : NotebookNode
        Not modified.
    cwd : path
        Working directory of the kernel.
    timeout : int
        Seconds per cell; a cell over it is interrupted and shows an error.

    Returns
    -------
    NotebookNode, the executed copy
    """
    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
        resources={"metadata": {"path": str(cwd)}}, shutdown_kernel="immediate",
    )
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(kernel_env())
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb


def _first_error(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            value = str(output.get("evalue", "")).strip().splitlines()
            return f"{output.get('ename', 'Error')}: {value[0] if value else ''}".strip()
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "wrote to stderr (nbgrader gives 0 for that): " + \
                str(output.get("text", "")).strip().splitlines()[0][:200]
    return ""


def grade_cells(nb):
    """Score every grade cell of an executed notebook with nbgrader's own rule.

    Returns
    -------
    list of GradeCellResult, in notebook order
    """
    from nbgrader.utils import determine_grade

    results = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if not meta.get("grade"):
            continue
        if cell.cell_type != "code":
            results.append(GradeCellResult(meta["grade_id"], None, float(meta.get("points", 0)),
                                           "manual", "graded by hand"))
            continue
        cell = copy.deepcopy(cell)
        cell.metadata.nbgrader.pop("checksum", None)
        if meta.get("solution"):
            # a code cell that is both answer and grade is scored by a person
            results.append(GradeCellResult(meta["grade_id"], None, float(meta["points"]),
                                           "manual", "graded by hand"))
            continue
        points, max_points = determine_grade(cell)
        status = "passed" if points == max_points else "failed"
        results.append(GradeCellResult(meta["grade_id"], float(points), float(max_points),
                                       status, "" if status == "passed" else _first_error(cell)))
    return results

