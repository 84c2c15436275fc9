"""Keep, per grade cell, the lower of the in-kernel score and the out-of-kernel verification.

nbgrader runs the student's code and the grade cells in one kernel, so what a grade cell sees
can be changed by the student's code (issue 5). After nbgrader's autograde of a submission, the
worker calls :func:`confirm_submission`, which runs
:func:`autograder.integrity.verify_submission` on the same notebook (a separate sandboxed
process that runs only the student's code and is called over a data-only channel, on fresh
secret inputs) and then, for every autograded grade cell:

* confirmed: the in-kernel score stands;
* not confirmed: the score becomes 0 in the record **and in the gradebook** (``auto_score``), so
  ``grades.csv``, nbgrader's own exports and the feedback page agree; the row's status becomes
  ``not confirmed`` and the submission goes on the report's "needs a human look" list with the
  verifier's reason (which may quote the fresh inputs: instructor only). The student's feedback
  gets a sentence without inputs (:meth:`VerificationResult.feedback_text`);
* could not be confirmed: a grade cell that checks a registered exercise and has no "confirmed"
  verdict, WHATEVER the reason (the notebook could not be read, the verifier crashed or timed
  out, its sandbox did not start, the verdict is missing): 0 points, status ``not confirmed``,
  and the reason ("could not be confirmed: ...") for the report. A confirmation that cannot run
  never leaves the kernel's score standing: only a positive verdict keeps points;
* not verifiable out of kernel (written answers, a grade cell that checks no registered
  exercise): the in-kernel score stands and the record lists the cell and why, for the report.
  Nothing is silently trusted.

The verifier reads a copy of the notebook without outputs (:func:`code_only_copy`): outputs are
not code, and a padded output must not push the notebook over the verifier's size limit (which
would otherwise be a way to skip the confirmation).

A cell that scored 0 in the kernel while its functions are right out of kernel (an error or
stderr output in the kernel, a cell that ran out of time) keeps its 0 and is listed for review:
the grade is never raised by the verifier. What the verifier found suspicious in the code (hooks,
monkeypatching, processes, file names of the course) goes to the review list too; the rows of
``scores.csv`` are flagged only when a grade changed or the verifier could not run.
"""
from __future__ import annotations

from .record import VerificationSummary
from .status import Status


#: What a student's feedback says about a cell whose points could not be confirmed.
COULD_NOT_CONFIRM_NOTE = ("The points of this cell could not be confirmed: the check that runs "
                          "your functions again, outside the notebook, could not run on your "
                          "submission. Ask your instructor.")


def verification_summary(result, failure="", unconfirmed=None):
    """The part of a :class:`~autograder.integrity.VerificationResult` a record keeps
    (``result`` None: the verifier never returned; ``failure`` says why)."""
    unconfirmed = dict(unconfirmed or {})
    if result is None:
        return VerificationSummary(error=failure, unconfirmed=unconfirmed)
    return VerificationSummary(
        sandbox=result.sandbox, seconds=result.seconds, error=failure or result.error,
        exercises={key: outcome.status for key, outcome in result.exercises.items()},
        unverified={g: r for g, r in result.unverified_cells().items() if g not in unconfirmed},
        unconfirmed=unconfirmed)


def registered_grade_cells(lesson, course_dir):
    """Grade ids of the lesson's code grade cells that check a registered exercise: the cells
    that keep points only when the verifier confirms them (read from the instructor's
    version, on the grader's side, whatever the submission does)."""
    from .. import exercises
    from ..integrity.verify import _grade_cells

    known = {exercise.id for exercise in exercises.all_exercises()}
    cells, _ = _grade_cells(lesson, course_dir)
    return {grade_id for grade_id, _, kind, checks in cells
            if kind == "code" and any(check.exercise_id in known for check in checks)}


def _why_not_confirmed(result, failure, grade_id):
    """'' when ``result`` confirms the grade cell, else why not (for the instructor)."""
    cell = result.grade_cells.get(grade_id) if result is not None else None
    if failure or result is None:
        return f"could not be confirmed: {failure or 'the verifier returned nothing'}"
    if result.error:
        return f"could not be confirmed: {result.error}"
    if cell is None:
        return "could not be confirmed: the verifier gave no verdict on this grade cell"
    if cell.verified is None:
        return f"could not be confirmed: {cell.reason}"
    return "" if cell.verified else cell.reason


def apply_verification(record, result, must_confirm=None, failure=""):
    """Cap the record's autograded rows with ``result``; returns ``{grade_id: new score}`` of the
    rows it lowered (to write into the gradebook).

    Parameters
    ----------
    record : autograder.pipeline.record.SubmissionRecord
        A worker's record with ``rows`` read from the gradebook; changed in place: rows, ``review``, ``notes``,
        ``flags`` and ``verification``.
    result : autograder.integrity.VerificationResult or None
        None when the verifier did not return (it raised: ``failure`` says why).
    must_confirm : set of str, optional
        Grade ids that keep points only with a positive verdict
        (:func:`registered_grade_cells`); by default the cells of ``result`` that check an
        exercise.
    failure : str
        Why the verification did not run or did not finish, if it did not.
    """
    if must_confirm is None:
        must_confirm = {g for g, c in (result.grade_cells.items() if result else ()) if c.checks}
    rows = record.auto_rows()
    in_kernel = {row.grade_id: row.score for row in rows}
    lowered, unconfirmed = {}, {}
    for row in rows:
        if row.grade_id not in must_confirm:
            continue   # written answers, cells that check no registered exercise: listed
        reason = _why_not_confirmed(result, failure, row.grade_id)
        if not reason:
            continue
        could_not = reason.startswith("could not be confirmed")
        if could_not:
            unconfirmed[row.grade_id] = reason
        if row.score <= 0:
            continue
        lowered[row.grade_id] = 0.0
        if could_not:  # a wrong verdict is listed by review_reasons below
            record.review.append(f"out-of-kernel check: {row.grade_id}: "
                                 f"{row.score:g} point(s) in the kernel, {reason}")
        row.score = 0.0
        row.status = Status.NOT_CONFIRMED
        row.message = reason[:240]
        note = COULD_NOT_CONFIRM_NOTE if could_not else result.feedback_text(row.grade_id)
        record.notes.append(f"Test `{row.grade_id}`: {note}")
    if result is not None:
        reasons = result.review_reasons(in_kernel)
        record.review += [f"out-of-kernel check: {reason}" for reason in reasons]
    else:
        record.review.append(f"out-of-kernel check: the verification could not run: "
                             f"{failure}")
    # scores.csv flags what changed a grade; suspicious code alone goes to the report only
    if lowered or failure or result is None or result.error:
        record.flag("flagged")
    record.verification = verification_summary(result, failure, unconfirmed)
    return lowered


def code_only_copy(nb, path):
    """Write ``nb`` without outputs or attachments to ``path``, for the verifier to read.

    Only the cells' sources and metadata matter to the verifier; an output (or a pasted image)
    of any size must neither cost memory there nor push the file over its size limit.
    """
    import json

    cells = []
    for cell in nb.cells:
        copy = {"cell_type": cell.cell_type, "metadata": cell.get("metadata", {}),
                "source": cell.get("source", "")}
        if "id" in cell:
            copy["id"] = cell["id"]
        if cell.cell_type == "code":
            copy.update(outputs=[], execution_count=None)
        cells.append(copy)
    document = {"nbformat": 4, "nbformat_minor": nb.get("nbformat_minor", 5),
                "metadata": nb.get("metadata", {}), "cells": cells}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
    return path


def has_registered_exercises(lesson):
    """Can the verifier check anything in this lesson (a course's own lessons may have no
    exercise in :mod:`autograder.exercises`)?"""
    from .. import exercises

    return any(exercise.lesson == lesson for exercise in exercises.all_exercises())


def record_unverifiable_lesson(record):
    """Nothing of this lesson can be verified out of kernel: say so for every autograded cell."""
    reason = ("the lesson has no exercise in autograder.exercises: not verifiable out of "
              "kernel")
    record.verification = VerificationSummary(
        unverified={row.grade_id: reason for row in record.auto_rows()})


def write_lowered_scores(gradebook, lesson, student, lowered):
    """Put the capped scores into nbgrader's gradebook as the cells' automatic scores."""
    for grade_id, score in lowered.items():
        grade = gradebook.find_grade(grade_id, lesson, lesson, student)
        grade.auto_score = float(score)
    gradebook.db.commit()

