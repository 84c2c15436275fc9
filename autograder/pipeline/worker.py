"""Grade one submission in the private course: nbgrader autograde, then feedback, then a record.

A :class:`SubmissionGrader` lives in one worker process and grades one submission at a time,
in-process through ``NbGraderAPI`` (no ``nbgrader`` command is started per notebook). For each
submission it:

1. makes ``submitted/<student>/<lesson>/`` in the private course (the original is only
   read);
2. reads it (:mod:`autograder.notebook`); a file that is not a notebook is recorded as
   ``malformed`` with the reason, and nbgrader only ever sees the parsed notebook written
   again, never the submitted bytes;
3. puts back stripped nbgrader metadata and notes which test or locked cells were edited or
   deleted (:mod:`autograder.pipeline.normalise`);
4. runs ``autograde`` (nbgrader restores the edited and deleted cells; :class:`SafeExecute`
   runs the cells in the sandboxed kernel);
5. reads each grade cell's score from the gradebook and its status from its outputs;
6. confirms the autograded cells outside the kernel and keeps the lower score
   (:mod:`autograder.pipeline.confirm`), in the record and in the gradebook;
7. writes the feedback (``generate_feedback``, hidden tests removed) to ``DIR/feedback``;
8. returns a :class:`~autograder.pipeline.record.SubmissionRecord`, which the parent journals.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import time
import traceback
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..notebook import MalformedNotebook, nbgrader_meta, parse_notebook, read_notebook
from .mistakes_named import mistake_catalogue, named_mistakes
from .pages import render
from .sanitise import sanitise_for_formgrader
from .preprocessors import DEAD_KERNEL_ENAME, TIMEOUT_ENAME
from .status import (BROKE_THE_RUN, Status, code_cell_status, error_outputs, first_message,
                     manual_cell_status)
from .normalise import align_with_release, compare_with_release
from .record import NamedMistake, ScoreRow, SubmissionRecord, WorkerCrash

@dataclass
class Task:
    """One submission to grade, as the parent sends it to a worker."""

    student: str
    lesson: str
    path: str
    member: str | None
    timestamp: str | None
    fingerprint: str
    origin: str
    #: The LMS marked the file late (Canvas's ``LATE_``): flagged even without due dates.
    late_mark: bool = False
    #: The largest notebook read, in bytes (None: :data:`discover.MAX_NOTEBOOK_BYTES`).
    max_bytes: int | None = None
    #: Why the file is refused before it is read (the archive's size cap), or "".
    refused: str = ""

    def read_bytes(self):
        """The notebook's bytes, read with bounded memory.

        Raises
        ------
        discover.TooLarge
        """
        from .discover import Submission, TooLarge

        if self.refused:
            raise TooLarge(self.refused)
        sub = Submission(self.student, self.lesson, self.path, self.member)
        if self.max_bytes:
            sub.max_bytes = self.max_bytes
        return sub.read_bytes()


def _force_remove(path):
    """Remove a file or folder that nbgrader made read-only (autograded files are 0444)."""
    path = Path(path)
    if not path.exists():
        return

    def make_writable(function, name, _):
        os.chmod(name, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
        function(name)

    if path.is_dir():
        shutil.rmtree(path, onerror=make_writable)
    else:
        os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
        path.unlink()


def _write_notebook(nb, path):
    path = Path(path)
    if path.exists():
        os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
    nbformat.write(nb, path)


class SubmissionGrader:
    """Grades submissions in a private course, one at a time.

    Parameters
    ----------
    root : path
        The private course.
    config : traitlets Config
        From :func:`autograder.pipeline.course.grading_config`.
    releases : dict
        ``{lesson: released notebook}``: what the students were given.
    tests : dict
        ``{lesson: [GradeCell]}`` of the instructor's version
        (:func:`autograder.notebook.grade_cells`).
    feedback_dir : path
        ``DIR/feedback``.
    policy_path : path, optional
        The kernel sandbox's policy file.
    verification : dict, optional
        ``{"course_dir": ..., "hidden": [...]}`` to confirm every submission outside the kernel
        (:mod:`autograder.pipeline.confirm`); ``None`` trusts the kernel's scores.
    """

    def __init__(self, root, config, releases, tests, feedback_dir, policy_path=None,
                 verification=None):
        from .course import make_api

        self.root = Path(root)
        self.config = config
        self.api = make_api(config)
        self.db_url = self.api.coursedir.db_url
        self.course_id = self.api.coursedir.course_id
        self.releases = releases
        self.tests = tests
        self.feedback_dir = Path(feedback_dir)
        self.policy_path = Path(policy_path) if policy_path else None
        self._catalogue = None
        self.verification = verification
        self._verifier_policy = None
        #: Write the feedback page (``check`` does not need it: the terminal shows the messages)
        self.feedback = True

    @property
    def catalogue(self):
        """``{message: key}`` of the registered mistakes, read when a test first fails (it
        imports every lesson's exercises: a tenth of a second a check of a passing notebook
        need not pay)."""
        if self._catalogue is None:
            self._catalogue = mistake_catalogue()
        return self._catalogue

    def sandbox_mode(self):
        """How kernels are sandboxed right now (the policy file may change on a fall-back)."""
        if self.policy_path is None or not self.policy_path.is_file():
            return "none"
        return json.loads(self.policy_path.read_text()).get("mode", "none")

    # ---- the steps --------------------------------------------------------------------------

    def grade(self, task):
        """Grade one submission; returns its record (see the module docstring)."""
        started = time.monotonic()
        record = SubmissionRecord(task.student, task.lesson, origin=task.origin,
                                  fingerprint=task.fingerprint, lms_late=task.late_mark,
                                  sandbox=self.sandbox_mode())
        for kind in ("autograded", "feedback"):
            _force_remove(self.root / kind / task.student / task.lesson)
        submitted = self.root / "submitted" / task.student / task.lesson
        _force_remove(submitted)
        submitted.mkdir(parents=True)
        from .discover import TooLarge

        try:
            data = task.read_bytes()
        except TooLarge as error:
            self._record_unreadable(task, record, str(error), Status.TOO_LARGE)
            record.seconds = round(time.monotonic() - started, 2)
            return record
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            self._record_unreadable(task, record, "the file could not be read from the "
                                    f"submissions ({type(error).__name__}: {error})",
                                    Status.MALFORMED)
            record.seconds = round(time.monotonic() - started, 2)
            return record
        notebook_path = submitted / f"{task.lesson}.ipynb"
        if task.timestamp:
            (submitted / "timestamp.txt").write_text(task.timestamp + "\n")
        try:
            nb = parse_notebook(data)   # a byte-order mark, list sources, format 3: all read
        except MalformedNotebook as error:
            notebook_path.write_bytes(data)   # kept for a human look; nbgrader never sees it
            self._record_unreadable(task, record, str(error), Status.MALFORMED)
        else:
            del data   # from here on, only the parsed notebook: nbgrader gets it re-serialised
            self._autograde(task, record, nb, notebook_path)
        record.seconds = round(time.monotonic() - started, 2)
        return record

    def _record_unreadable(self, task, record, reason, status):
        """A file that is not graded at all (not a notebook, or over the size cap); an earlier
        run's grade of it leaves the gradebook with every record that is not graded."""
        record.outcome = status
        record.rows = [self._row(cell.grade_id, 0.0, cell.points, status,
                                    "auto" if cell.is_test else "manual")
                          for cell in self.tests[task.lesson]]
        record.review.append(f"the notebook could not be read: {reason}" if status ==
                                Status.MALFORMED else f"the notebook was not graded: {reason}")
        if status == Status.MALFORMED:
            self._write_plain_page(task, record, "The file you submitted could not be opened "
                                   f"as a Jupyter notebook: {reason}.", "Open your notebook in "
                                   "JupyterLab; if it opens, save it and submit it again; if it "
                                   "does not, ask your instructor.")
        else:
            self._write_plain_page(task, record, f"The file you submitted was not graded: "
                                   f"{reason}.", "Clear the outputs of your notebook (Edit > "
                                   "Clear Outputs of All Cells), save it and submit it again.")

    def _write_plain_page(self, task, record, what, todo, scored="Every test of this lesson "
                          "scored 0."):
        """A feedback page for a submission nbgrader did not grade (no notebook to show)."""
        page = self.feedback_dir / task.student / f"{task.lesson}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render("not_graded.html.j2", lesson=task.lesson, what=what,
                               scored=scored, todo=todo))
        record.feedback = str(page.relative_to(self.feedback_dir.parent))

    def _autograde(self, task, record, nb, notebook_path):
        release = self.releases[task.lesson]
        nb, changes = align_with_release(nb, release)
        edited = compare_with_release(nb, release)
        for name in ("edited_tests", "deleted_tests", "edited_locked", "deleted_locked",
                     "deleted_answers"):
            setattr(changes, name, getattr(edited, name))
        # nbgrader grades the private copy: always the parsed, aligned notebook re-serialised
        # (never the raw bytes: a byte-order mark or an odd encoding stops nbgrader's reader)
        for cell in nb.cells:      # nbgrader clears outputs anyway (ClearOutput): not copied
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        _write_notebook(nb, notebook_path)
        record.notes += changes.notes()
        record.review += changes.review_reasons()
        clock = time.monotonic()
        result = self.api.autograde(task.lesson, task.student, force=True, create=True)
        record.autograde_seconds = round(time.monotonic() - clock, 2)
        autograded = self.root / "autograded" / task.student / task.lesson / \
            f"{task.lesson}.ipynb"
        if not result.get("success") or not autograded.is_file():
            # nbgrader may have saved the kernel's scores before it failed (a notebook it could
            # not write back): the run withdraws them before its exports (grading.py)
            record.outcome = "error"
            log = (result.get("log") or "") + (result.get("error") or "")
            record.error = log[-4000:]
            record.log = write_failure_log(self.feedback_dir.parent, task.student,
                                              task.lesson, log)
            record.rows = [self._row(cell.grade_id, 0.0, cell.points, Status.ERROR,
                                        "auto" if cell.is_test else "manual")
                              for cell in self.tests[task.lesson]]
            record.review.append(f"the grader failed on this submission: {real_cause(log)} "
                                    f"(full log: {record.log}); it was not graded")
            self._write_plain_page(task, record, "The grader failed on your notebook; your "
                                   "instructor has been told and has the details.",
                                   "You do not need to do anything unless your instructor "
                                   "asks.", scored="It has not been graded yet.")
            return
        record.outcome = "graded"
        graded_nb = read_notebook(autograded, None, validate=False)   # nbgrader's own output
        self._read_grades(task, record, graded_nb, changes)
        if self.verification is not None:
            self._confirm(task, record, nb)
        graded_nb.metadata["autograder"] = {"notes": record.notes}
        # The instructor opens this file in Formgrader, which renders HTML as it is: no script
        # of the student's may reach it (the feedback page below is cleaned from it again).
        sanitise_for_formgrader(graded_nb)
        _write_notebook(graded_nb, autograded)
        if not self.feedback:
            return
        clock = time.monotonic()
        feedback = self.api.generate_feedback(task.lesson, task.student, force=True)
        record.feedback_seconds = round(time.monotonic() - clock, 2)
        page = self.root / "feedback" / task.student / task.lesson / f"{task.lesson}.html"
        if not feedback.get("success") or not page.is_file():
            record.review.append("the feedback page could not be written")
            record.error = ((feedback.get("log") or "") + (feedback.get("error") or ""))[
                -4000:]
            return
        target = self.feedback_dir / task.student / f"{task.lesson}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
        record.feedback = str(target.relative_to(self.feedback_dir.parent))

    def _read_grades(self, task, record, graded_nb, changes):
        record.rows, record.late_seconds = self._rows(task, record, graded_nb, changes)
        self._explain(record, graded_nb, changes)

    def _confirm(self, task, record, nb):
        """Verify the submission out of kernel; keep the lower score of every grade cell.

        Whatever stops the verification (a crash, a notebook it cannot read, a sandbox that
        does not start) costs the points of the cells it should have confirmed
        (:func:`~autograder.pipeline.confirm.apply_verification`): never the kernel's score.
        """
        import tempfile

        from nbgrader.api import Gradebook

        from ..integrity import verify_submission
        from .confirm import (apply_verification, code_only_copy, has_registered_exercises,
                              record_unverifiable_lesson, registered_grade_cells,
                              write_lowered_scores)

        if not has_registered_exercises(task.lesson):
            record_unverifiable_lesson(record)
            return
        clock = time.monotonic()
        result, failure = None, ""
        try:
            must_confirm = registered_grade_cells(task.lesson, self.verification["course_dir"])
        except Exception as error:  # the grader's own course: every autograded cell counts
            must_confirm = {row.grade_id for row in record.auto_rows()}
            failure = f"the lesson's grade cells could not be read ({type(error).__name__})"
        if not failure:
            try:
                if self._verifier_policy is None:
                    self._verifier_policy = self._verifier_policy_of()
                with tempfile.TemporaryDirectory(prefix="autograder-verify-") as scratch:
                    copy = code_only_copy(nb, Path(scratch) / f"{task.lesson}.ipynb")
                    result = verify_submission(copy, task.lesson,
                                               course_dir=self.verification["course_dir"],
                                               policy=self._verifier_policy,
                                               hidden=self.verification["hidden"],
                                               **self._verifier_timeouts())
            except Exception as error:  # a verifier bug must not leave the kernel's score
                failure = f"the verifier failed ({type(error).__name__}: {str(error)[:300]})"
        record.verify_seconds = round(time.monotonic() - clock, 2)
        lowered = apply_verification(record, result, must_confirm, failure)
        if lowered:
            with Gradebook(self.db_url, self.course_id) as gradebook:
                write_lowered_scores(gradebook, task.lesson, task.student, lowered)

    def _verifier_policy_of(self):
        """The run's sandbox policy (``--sandbox``, ``--memory``, ``--timeout``): the file the
        kernels' launcher reads, or else one built from the same options (a ``--sandbox
        bubblewrap`` that cannot start raises: the cells are then not confirmed)."""
        from ..sandbox.policy import Policy, from_options

        if self.policy_path is not None and self.policy_path.is_file():
            return Policy.read(self.policy_path)   # the kernels' own, fallback included
        return from_options(self.verification.get("sandbox", "auto"),
                            self.verification.get("memory_mib"),
                            self.verification.get("timeout"))

    def _verifier_timeouts(self):
        """A ``--timeout`` longer than the verifier's own per-cell limit lengthens it."""
        from ..integrity.verify import CELL_TIMEOUT

        timeout = self.verification.get("timeout")
        return {"cell_timeout": max(CELL_TIMEOUT, float(timeout))} if timeout else {}

    def _rows(self, task, record, graded_nb, changes):
        """Each grade cell's score (from the gradebook) and status (from its outputs), and how
        late the submission was; the misconceptions named are added to ``record``."""
        from nbgrader.api import Gradebook

        cells = {nbgrader_meta(c).get("grade_id"): c for c in graded_nb.cells
                 if nbgrader_meta(c).get("grade")}
        with Gradebook(self.db_url, self.course_id) as gradebook:
            late = float(gradebook.find_submission(task.lesson, task.student)
                         .total_seconds_late or 0)
            grades = {g.name: g for g in gradebook.find_submission_notebook(
                task.lesson, task.lesson, task.student).grades}
            rows = []
            for graded in self.tests[task.lesson]:
                grade_id, points, is_test = graded.grade_id, graded.points, graded.is_test
                grade, cell = grades.get(grade_id), cells.get(grade_id)
                score = float(grade.score) if grade is not None else 0.0
                max_score = float(grade.max_score) if grade is not None else points
                flags = ["tampered"] * (grade_id in changes.edited_tests) + \
                    ["missing"] * (grade_id in changes.deleted_tests)
                message = ""
                if not is_test:
                    status = manual_cell_status(grade) if grade is not None else Status.MANUAL
                elif grade is not None and grade.manual_score is not None:
                    status = Status.BY_HAND
                elif cell is None:
                    status = Status.FAILED
                else:
                    status = code_cell_status(cell, score, max_score)
                    message = first_message(cell)
                    if error_outputs(cell):   # no error, no mistake named
                        record.misconceptions += [
                            NamedMistake(grade_id, key, text)
                            for key, text in named_mistakes(cell, self.catalogue)]
                rows.append(self._row(grade_id, score, max_score, status,
                                      "auto" if is_test else "manual", flags, message))
        return rows, late

    def _explain(self, record, graded_nb, changes):
        """The reasons for a human look, the notes for the student, the flags of every row."""
        broken = {}
        for row in record.rows:
            if row.status in BROKE_THE_RUN:
                broken.setdefault(row.status, []).append(row.grade_id)
        for status, ids in broken.items():
            record.review.append(f"{status}: {', '.join(ids)}")
        for number, cell in enumerate(graded_nb.cells, start=1):
            names = {o.get("ename") for o in error_outputs(cell)}
            if cell.cell_type == "code" and not nbgrader_meta(cell).get("grade") and \
                    names & {TIMEOUT_ENAME, DEAD_KERNEL_ENAME}:
                what = "timed out" if TIMEOUT_ENAME in names else "killed the kernel"
                label = _cell_label(number, cell)
                record.review.append(f"an answer or worked cell {what}: {label}")
                record.notes.append(f"{label[0].upper()}{label[1:]} {what} while it ran "
                                       "your code; tests that need what it computes lost their "
                                       "points.")
        late = record.late_seconds
        if late > 0:
            record.flag("late")
            record.review.append(f"submitted {_duration(late)} after the due date")
            record.notes.append(f"This notebook was submitted {_duration(late)} after the "
                                   "due date.")
        elif record.lms_late:
            record.flag("late")
            record.review.append("marked late by the LMS")
            record.notes.append("Your learning-management system marked this notebook as "
                                   "submitted after the due date.")
        if changes.metadata_restored or changes.edited_locked or changes.deleted_locked or \
                changes.duplicates or changes.extras or changes.metadata_replaced:
            record.flag("flagged")
        if broken:
            record.notes.append("Some tests could not finish (the status of each test is "
                                   "shown in its cell below); they scored 0.")

    @staticmethod
    def _row(grade_id, score, max_score, status, kind, flags=(), message=""):
        return ScoreRow(grade_id, score, max_score, status, kind, list(flags), message)

    # ---- a sandbox check --------------------------------------------------------------------

    def probe(self, workdir):
        """Start one grading kernel and run a cell: does the sandbox work here?

        Returns '' when it does, else what went wrong.
        """
        from nbclient import NotebookClient

        from .kernel_manager import SandboxKernelManager

        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "import numpy, os\nprint(numpy.ones(2).sum(), os.getcwd())")])
        kernel = self.config.Execute.get("kernel_name") or "python3"
        try:
            client = NotebookClient(nb, timeout=60, startup_timeout=60, kernel_name=kernel,
                                    allow_errors=True, shutdown_kernel="immediate",
                                    kernel_manager_class=SandboxKernelManager,
                                    config=self.config,
                                    resources={"metadata": {"path": str(workdir)}})
            client.execute()
        except Exception as error:  # any failure to start or run means the sandbox is unusable
            return f"{type(error).__name__}: {error}"
        text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
        if not text.startswith("2.0"):
            return f"the probe cell printed {text!r}, outputs {nb.cells[0].outputs!r}"
        return ""


def _cell_label(number, cell):
    """``cell 12 (`for epoch in range(...`)``: where a cell is, and how it starts."""
    name = nbgrader_meta(cell).get("grade_id")
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    first = first if len(first) <= 40 else first[:37] + "..."
    return f"cell {number}" + (f" ({name})" if name else f" (`{first}`)" if first else "")


def _duration(seconds):
    seconds = int(seconds)
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


# ---- the worker process --------------------------------------------------------------------

def worker_main(index, connection, setup):
    """Entry point of a worker process: grade the tasks the parent sends until told to stop.

    ``setup`` holds what :class:`SubmissionGrader` needs plus ``jupyter_path``, ``runtime_dir``
    and ``log_path``. The worker's own stdout and stderr (and so the kernels' start-up chatter)
    go to its log file.
    """
    from .course import nbgrader_environment, quiet_nbgrader_warnings

    from .pool import die_with_parent

    die_with_parent(setup.get("parent_pid"))
    log = open(setup["log_path"], "ab", buffering=0)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    runtime = Path(setup["runtime_dir"]) / f"w{index}"
    runtime.mkdir(parents=True, exist_ok=True)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    os.environ["JUPYTER_PATH"] = setup["jupyter_path"]
    nbgrader_environment()
    quiet_nbgrader_warnings()
    grader = None
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        kind, payload = message
        try:
            if grader is None:
                grader = SubmissionGrader(setup["root"], setup["config"], setup["releases"],
                                          setup["tests"], setup["feedback_dir"],
                                          setup.get("policy_path"), setup.get("verification"))
            if kind == "probe":
                reply = grader.probe(payload)
            else:
                reply = grader.grade(payload)
        except Exception:  # a bug or an environment problem: report it, keep the worker alive
            reply = WorkerCrash(traceback.format_exc())
        connection.send(reply)


def real_cause(log):
    """The last exception line of a log (``KeyError: 'grade_id'``), else its last line."""
    lines = [line.strip() for line in (log or "").splitlines() if line.strip()]
    for line in reversed(lines):
        head = line.split(":", 1)[0].split(".")[-1]
        if ":" in line and (head.endswith("Error") or head.endswith("Exception") or
                            head in ("MissingEntry", "KeyboardInterrupt", "SystemExit")):
            return line[:300]
    return lines[-1][:300] if lines else "no log"


def write_failure_log(out_dir, student, lesson, log):
    """Keep the whole log of a failed submission in ``DIR/logs/<student>/<lesson>.log``;
    returns its path relative to ``DIR``."""
    path = Path(out_dir) / "logs" / student / f"{lesson}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(log or "(no log)\n", errors="replace")
    return str(path.relative_to(out_dir))

