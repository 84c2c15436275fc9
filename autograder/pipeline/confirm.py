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
* not verifiable out of kernel (written answers, a grade cell that checks no registered
  exercise, or a verifier that could not start): the in-kernel score stands and the record lists
  the cell and why, for the report. Nothing is silently trusted.

A cell that scored 0 in the kernel while its functions are right out of kernel (an error or
stderr output in the kernel, a cell that ran out of time) keeps its 0 and is listed for review:
the grade is never raised by the verifier. What the verifier found suspicious in the code (hooks,
monkeypatching, processes, file names of the course) goes to the review list too; the rows of
``scores.csv`` are flagged only when a grade changed or the verifier could not run.
"""
from __future__ import annotations

from . import results as R


def verification_summary(result):
    """The JSON-able part of a :class:`~autograder.integrity.VerificationResult` a record keeps."""
    return {"sandbox": result.sandbox, "seconds": result.seconds, "error": result.error,
            "exercises": {key: outcome.status for key, outcome in result.exercises.items()},
            "unverified": result.unverified_cells()}


def apply_verification(record, result):
    """Cap the record's autograded rows with ``result``; returns ``{grade_id: new score}`` of the
    rows it lowered (to write into the gradebook).

    Parameters
    ----------
    record : dict
        A worker's record with ``rows`` read from the gradebook (see
        :mod:`autograder.pipeline.worker`); changed in place: rows, ``review``, ``notes``,
        ``flags`` and ``verification``.
    result : autograder.integrity.VerificationResult
    """
    rows = [row for row in record["rows"] if row["kind"] == "auto"]
    in_kernel = {row["grade_id"]: row["score"] for row in rows}
    lowered = {}
    for row in rows:
        capped = result.capped_score(row["grade_id"], row["score"])
        if capped < row["score"]:
            lowered[row["grade_id"]] = capped
            row["score"] = capped
            row["status"] = R.NOT_CONFIRMED
            row["message"] = result.grade_cells[row["grade_id"]].reason[:240]
            record["notes"].append(f"Test `{row['grade_id']}`: "
                                   + result.feedback_text(row["grade_id"]))
    reasons = result.review_reasons(in_kernel)
    record["review"] += [f"out-of-kernel check: {reason}" for reason in reasons]
    # scores.csv flags what changed a grade; suspicious code alone goes to the report only
    if lowered or result.error:
        record["flags"] = list(dict.fromkeys([*record["flags"], "flagged"]))
    record["verification"] = verification_summary(result)
    return lowered


def has_registered_exercises(lesson):
    """Can the verifier check anything in this lesson (a course's own lessons may have no
    exercise in :mod:`autograder.exercises`)?"""
    from .. import exercises

    return any(exercise.lesson == lesson for exercise in exercises.all_exercises())


def record_unverifiable_lesson(record):
    """Nothing of this lesson can be verified out of kernel: say so for every autograded cell."""
    reason = ("the lesson has no exercise in autograder.exercises: not verifiable out of "
              "kernel")
    record["verification"] = {"sandbox": "", "seconds": 0.0, "error": "", "exercises": {},
                              "unverified": {row["grade_id"]: reason for row in record["rows"]
                                             if row["kind"] == "auto"}}


def write_lowered_scores(gradebook, lesson, student, lowered):
    """Put the capped scores into nbgrader's gradebook as the cells' automatic scores."""
    for grade_id, score in lowered.items():
        grade = gradebook.find_grade(grade_id, lesson, lesson, student)
        grade.auto_score = float(score)
    gradebook.db.commit()

