"""What a graded notebook says: the status of each grade cell, the misconceptions it named.

The ``status`` column of ``scores.csv`` is one status word, then any flags, joined by ``;``
(``failed;tampered``). :data:`STATUSES` and :data:`FLAGS` say what each word means; the
command's ``--help`` and the report print them.
"""
from __future__ import annotations

import re

from .preprocessors import DEAD_KERNEL_ENAME, NOT_RUN_ENAME, TIMEOUT_ENAME

PASSED, PARTIAL, FAILED = "passed", "partial", "failed"
TIMED_OUT, KERNEL_DIED, MEMORY, NOT_RUN = "timed out", "kernel died", "memory limit", "not run"
MANUAL, BY_HAND, UNANSWERED = "manual", "graded by hand", "unanswered"
MALFORMED, NOT_SUBMITTED, ERROR = "malformed", "not submitted", "error"
NOT_CONFIRMED = "not confirmed"
TOO_LARGE = "too large"

#: Status words of scores.csv and what they mean.
STATUSES = [
    (PASSED, "full points"),
    (PARTIAL, "some of the points (a grade cell whose last value is a number)"),
    (FAILED, "no points: a check failed, or the code raised an error"),
    (TIMED_OUT, "the cell ran past the per-cell time limit and was stopped"),
    (KERNEL_DIED, "the kernel died while the cell ran (os._exit, a crash, a resource limit)"),
    (MEMORY, "the code ran out of the memory a grading kernel may use"),
    (NOT_RUN, "the cell could not be run (its kernel was replaced too many times)"),
    (MANUAL, "a written answer waiting for a grader (0 until graded)"),
    (BY_HAND, "a grader gave the score in formgrader"),
    (UNANSWERED, "a written answer left as \"YOUR ANSWER HERE\" (0 points)"),
    (MALFORMED, "the notebook file could not be read (not valid notebook JSON)"),
    (TOO_LARGE, "the notebook file is over the size cap (--max-notebook-mib) and was not read"),
    (NOT_SUBMITTED, "no notebook from this student for this lesson"),
    (ERROR, "the grader itself failed on this submission (the report has the log)"),
    (NOT_CONFIRMED, "passed in the notebook, but the functions it checks failed when run again "
                    "outside the notebook on fresh inputs: 0 points (the report says why)"),
]

#: Flags that may follow the status word.
FLAGS = [
    ("tampered", "the test cell had been edited: the released test was put back and graded"),
    ("missing", "the test cell had been deleted: it was put back and graded"),
    ("late", "submitted after the due date (nbgrader's late penalty, if any, is in grades.csv)"),
    ("flagged", "something else about the submission needs a human look (see the report)"),
]


def legend():
    """The status words and flags, one per line, for --help and the report."""
    width = max(len(word) for word, _ in STATUSES + FLAGS) + 2
    lines = [f"  {word:<{width}}{meaning}" for word, meaning in STATUSES]
    lines.append("flags, after the status and a ';':")
    lines += [f"  {word:<{width}}{meaning}" for word, meaning in FLAGS]
    return "\n".join(lines)


#: Statuses that mean the code did not get to finish: a human may want to look.
BROKE_THE_RUN = (TIMED_OUT, KERNEL_DIED, MEMORY, NOT_RUN)

_KNOWN_MISTAKE = "This looks like a known mistake: "


def status_text(status, flags=()):
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
        return NOT_RUN
    if DEAD_KERNEL_ENAME in names:
        return KERNEL_DIED
    if TIMEOUT_ENAME in names:
        return TIMED_OUT
    if "MemoryError" in names or any("raised MemoryError" in str(o.get("evalue", ""))
                                     for o in error_outputs(cell)):
        return MEMORY
    if max_score and score >= max_score:
        return PASSED
    if score > 0:
        return PARTIAL
    return FAILED


def manual_cell_status(grade):
    """Status of a hand-graded cell from its gradebook entry."""
    if grade.manual_score is not None:
        return BY_HAND
    if grade.auto_score == 0 and not grade.needs_manual_grade:
        return UNANSWERED
    return MANUAL


def mistake_catalogue():
    """``{message: key}`` of every registered mistake, longest message first."""
    from ..exercises import all_exercises

    found = {}
    for exercise in all_exercises():
        for wrong in exercise.mistakes:
            found.setdefault(wrong.message, wrong.key)
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def named_mistakes(cell, catalogue):
    """The registered mistakes that a failed check named in this cell: ``[(key, message)]``."""
    found = []
    for output in error_outputs(cell):
        text = str(output.get("evalue", ""))
        for start in [m.end() for m in re.finditer(re.escape(_KNOWN_MISTAKE), text)]:
            rest = text[start:]
            for message, key in catalogue.items():
                if rest.startswith(message):
                    found.append((key, message))
                    break
    return found
