"""Grading integrity: confirm a submission's autograded functions outside the grading kernel.

nbgrader runs the student's code and the grade cells in one kernel, so the student's code can
change what the grade cells see (rebind ``assert_allclose``, patch numpy or the checks, add an
IPython input transformer...). The verifier takes the student's functions out of that kernel:

* :mod:`.student_code` extracts what to run: the lesson's released code cells and the student's
  answer and added cells, never a grade cell; :mod:`.needed_code` leaves out the lesson
  statements the submission's code cannot reach (plots, prints, demonstrations);
* :mod:`.sandbox` runs that code in a separate, confined process with only the package's public
  modules, and answers calls over a data-only channel (:mod:`.channel`);
* :mod:`.verify` draws fresh, secret inputs for every registered exercise of the lesson, calls the
  student's function in the sandbox, compares with the reference exactly as the grade cells do
  (:func:`autograder.checks.compare_result`) and maps the outcome onto the lesson's grade cells.

The grading pipeline keeps, per grade cell, the lower of the in-kernel score and the verified one
(:meth:`VerificationResult.capped_score`).
"""
from .verify import ExerciseOutcome, GradeCellOutcome, VerificationResult, verify_submission

__all__ = ["verify_submission", "VerificationResult", "ExerciseOutcome", "GradeCellOutcome"]
