"""The status words of a graded cell, and how a cell's outputs and score give its status.

The ``status`` column of ``scores.csv`` is one status word, then any flags, joined by ``;``
(``failed;tampered``). :class:`Status` and :data:`FLAGS` say what each word means; the
command's ``--help`` and the report print them.
"""
from __future__ import annotations

from enum import StrEnum

from .preprocessors import DEAD_KERNEL_ENAME, NOT_RUN_ENAME, TIMEOUT_ENAME


class Status(StrEnum):
    """One status word of ``scores.csv``. A ``str``: it compares, prints and serialises as its
    word, so records and CSV files hold plain words."""

    PASSED = "passed"
    PARTIAL = "partial"
    FAILED = "failed"
    TIMED_OUT = "timed out"
    KERNEL_DIED = "kernel died"
    MEMORY = "memory limit"
    NOT_RUN = "not run"
    MANUAL = "manual"
    BY_HAND = "graded by hand"
    UNANSWERED = "unanswered"
    MALFORMED = "malformed"
    TOO_LARGE = "too large"
    NOT_SUBMITTED = "not submitted"
    ERROR = "error"
    NOT_CONFIRMED = "not confirmed"


#: What each status word means, in the order the legend prints them.
MEANINGS = {
    Status.PASSED: "full points",
    Status.PARTIAL: "some of the points (a grade cell whose last value is a number)",
    Status.FAILED: "no points: a check failed, or the code raised an error",
    Status.TIMED_OUT: "the cell ran past the per-cell time limit and was stopped",
    Status.KERNEL_DIED: "the kernel died while the cell ran (os._exit, a crash, a resource "
                        "limit)",
    Status.MEMORY: "the code ran out of the memory a grading kernel may use",
    Status.NOT_RUN: "the cell could not be run (its kernel was replaced too many times)",
    Status.MANUAL: "a written answer waiting for a grader (0 until graded)",
    Status.BY_HAND: "a grader gave the score in formgrader",
    Status.UNANSWERED: "a written answer left as \"YOUR ANSWER HERE\" (0 points)",
    Status.MALFORMED: "the notebook file could not be read (not valid notebook JSON)",
    Status.TOO_LARGE: "the notebook file is over the size cap (--max-notebook-mib) and was not "
                      "read",
    Status.NOT_SUBMITTED: "no notebook from this student for this lesson",
    Status.ERROR: "the grader itself failed on this submission (the report has the log)",
    Status.NOT_CONFIRMED: "passed in the notebook, but the functions it checks failed when run "
                          "again outside the notebook on fresh inputs: 0 points (the report "
                          "says why)",
}

#: Flags that may follow the status word.
FLAGS = [
    ("tampered", "the test cell had been edited: the released test was put back and graded"),
    ("missing", "the test cell had been deleted: it was put back and graded"),
    ("late", "submitted after the due date (nbgrader's late penalty, if any, is in grades.csv)"),
    ("flagged", "something else about the submission needs a human look (see the report)"),
]


def legend():
    """The status words and flags, one per line, for --help and the report."""
    width = max(len(word) for word in [*MEANINGS, *(f for f, _ in FLAGS)]) + 2
    lines = [f"  {word:<{width}}{meaning}" for word, meaning in MEANINGS.items()]
    lines.append("flags, after the status and a ';':")
    lines += [f"  {word:<{width}}{meaning}" for word, meaning in FLAGS]
    return "\n".join(lines)


#: Statuses that mean the code did not get to finish: a human may want to look.
BROKE_THE_RUN = (Status.TIMED_OUT, Status.KERNEL_DIED, Status.MEMORY, Status.NOT_RUN)


def status_text(status, flags=()):
    """The ``status`` column of scores.csv: the word, then any flags, joined by ``;``."""
    return ";".join([status, *flags])


def error_outputs(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def first_message(cell, limit=240):
    """The first line of the first error in a cell, or of what it wrote to stderr."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines = str(output.get("evalue", "")).strip().splitlines()
            return f"{output.get('ename', 'Error')}: {lines[0] if lines else ''}".strip()[:limit]
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            text = str(output.get("text", "")).strip().splitlines()
            return ("wrote to stderr (nbgrader gives 0 for that): " + (text[0] if text else ""))[
                :limit]
    return ""


def code_cell_status(cell, score, max_score):
    """Status of an autograded code cell from its outputs and its score."""
    names = {o.get("ename") for o in error_outputs(cell)}
    if NOT_RUN_ENAME in names:
        return Status.NOT_RUN
    if DEAD_KERNEL_ENAME in names:
        return Status.KERNEL_DIED
    if TIMEOUT_ENAME in names:
        return Status.TIMED_OUT
    if "MemoryError" in names or any("raised MemoryError" in str(o.get("evalue", ""))
                                     for o in error_outputs(cell)):
        return Status.MEMORY
    if max_score and score >= max_score:
        return Status.PASSED
    if score > 0:
        return Status.PARTIAL
    return Status.FAILED


def manual_cell_status(grade):
    """Status of a hand-graded cell from its gradebook entry."""
    if grade.manual_score is not None:
        return Status.BY_HAND
    if grade.auto_score == 0 and not grade.needs_manual_grade:
        return Status.UNANSWERED
    return Status.MANUAL
