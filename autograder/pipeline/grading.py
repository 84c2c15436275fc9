"""Grade a whole class (``python -m autograder grade``) or one notebook (``... check``).

A run, start to finish (see the README for the command and ``--help`` for the layouts):

1. find the submissions (:mod:`~autograder.pipeline.discover`);
2. set up the private nbgrader course ``DIR/nbgrader/`` (:mod:`~autograder.pipeline.course`):
   each lesson's instructor version, hidden tests included, goes through
   ``generate_assignment`` into the gradebook;
3. decide on the sandbox (:mod:`~autograder.sandbox`) and check that a kernel starts in
   it;
4. grade every submission that has no up-to-date record, in parallel worker processes
   (:mod:`~autograder.pipeline.pool`, :mod:`~autograder.pipeline.worker`), journaling each
   finished record: an interrupted run resumes where it stopped, and a second run with the same
   inputs grades nothing again;
5. write ``scores.csv``, ``grades.csv`` (through nbgrader's export, from the gradebook), the
   feedback pages and ``report.html``.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..notebook import MalformedNotebook, grade_cells, parse_notebook, read_notebook
from .status import Status, status_text
from .course import (COURSE, STATE, GradingError, GradingOptions, check_gradebook,
                     grading_config, instructor_notebook, known_lessons, make_api,
                     nbgrader_environment, notebook_fingerprint, prepare_lessons,
                     quiet_nbgrader_warnings, write_config_file)
from .csvsafe import csv_writer
from .discover import MAX_ARCHIVE_BYTES, MAX_NOTEBOOK_BYTES, SubmissionError, TooLarge, \
    discover
from .lms_csv import write_all as write_lms_files
from .outdir import LOCK_FILE, check_folders, output_lock  # noqa: F401 (LOCK_FILE: re-export)
from .roster import Person, write_students
from .record import AUTO, MANUAL, ScoreRow, SubmissionRecord, WorkerCrash, read_journal, \
    write_journal
from .worker import Task, real_cause, write_failure_log

PRIVATE_COURSE = "nbgrader"
SCORE_COLUMNS = ["student_id", "assignment", "grade_id", "score", "max_score", "status"]


@dataclass
class RunSummary:
    """What a grading run did, for the command line and the report."""

    out_dir: Path
    submissions: int = 0
    graded_now: int = 0
    reused: int = 0
    errors: list = field(default_factory=list)       # (student, lesson, reason)
    unmatched: list = field(default_factory=list)
    skipped: list = field(default_factory=list)         # (origin, reason): never read
    superseded: list = field(default_factory=list)      # (origin, replaced by): resubmissions
    unknown_to_roster: list = field(default_factory=list)  # ids with no row in --roster
    similarity: object = None                           # similarity.SimilarityReport
    similarity_failure: str = ""                        # why the similarity check did not run
    sandbox: object = None
    seconds: float = 0.0
    workers: int = 1
    layout: str = ""
    records: list = field(default_factory=list)         # record.SubmissionRecord
    phases: dict = field(default_factory=dict)          # seconds: set-up, grading, outputs

    @property
    def ok(self):
        return not self.errors


def _release_notebook(lesson, repo):
    path = Path(repo) / "notebooks" / lesson / f"{lesson}.ipynb"
    if not path.is_file():
        raise GradingError(f"No released notebook {path}: run `make build` first.")
    return read_notebook(path, validate=False)


def read_due_dates(path):
    """``{lesson: due date}`` from a CSV with columns ``assignment,duedate`` (nbgrader's names).

    Dates are in a form nbgrader reads, e.g. ``2025-03-01 17:00:00 UTC``.
    """
    from nbgrader.utils import parse_utc

    due = {}
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"assignment", "duedate"} <= set(reader.fieldnames):
            raise SubmissionError(f"{path} needs the columns assignment,duedate "
                                  f"(found {reader.fieldnames}).")
        for row in reader:
            try:
                parse_utc(row["duedate"])
            except Exception:
                raise SubmissionError(f"{path}: cannot read the due date {row['duedate']!r} of "
                                      f"{row['assignment']}; write e.g. 2025-03-01 17:00:00 UTC"
                                      ) from None
            due[row["assignment"].strip()] = row["duedate"].strip()
    return due


def default_workers():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS
        return max(1, os.cpu_count() or 1)


def grade_class(submissions_dir, out_dir, *, workers=None, options=None, course_dir=COURSE,
                db_url=None, lessons=None, regrade=False, progress=None, roster=None,
                max_notebook_bytes=MAX_NOTEBOOK_BYTES, max_archive_bytes=MAX_ARCHIVE_BYTES):
    """Grade every submission under ``submissions_dir`` into ``out_dir``.

    Parameters
    ----------
    submissions_dir : path
        A folder or a zip file (see :mod:`autograder.pipeline.discover`).
    out_dir : path
        Receives ``scores.csv``, ``grades.csv``, ``feedback/``, ``report.html``, ``plots/`` and
        the private course ``nbgrader/``.
    workers : int, optional
        Grading processes (default: the number of CPUs).
    options : GradingOptions
    course_dir : path
        The nbgrader course with ``source/<lesson>/<lesson>.py`` and ``nbgrader_config.py``;
        its parent holds the released ``notebooks/``.
    db_url : str, optional
        The gradebook (default: SQLite in the private course).
    lessons : list of str, optional
        Grade only these lessons.
    regrade : bool
        Ignore the records of earlier runs and grade everything again.
    progress : callable, optional
        ``progress(done, total, task, record)`` after each submission.
    roster : dict of str -> roster.Person, optional
        Who the ids are (:func:`autograder.pipeline.roster.read_roster`): their names go into
        ``students.csv``, ``grades.csv`` and the gradebook.
    max_notebook_bytes, max_archive_bytes : int
        The size caps of one notebook and of a zip's notebooks in all
        (:mod:`~autograder.pipeline.discover`); a submission over a cap is ``too large``.

    Returns
    -------
    RunSummary

    Raises
    ------
    SubmissionError
        The submissions cannot be graded as given (nothing was graded).
    GradingError
        The run cannot go on (environment, sandbox, nbgrader set-up).
    """
    out_dir = Path(out_dir)
    if db_url:
        check_gradebook(db_url)       # a wrong --db fails before anything is created
    check_folders(submissions_dir, out_dir)
    with output_lock(out_dir):
        run = _ClassRun(submissions_dir, out_dir, options or GradingOptions(), course_dir,
                        db_url, lessons, roster, caps=(max_notebook_bytes, max_archive_bytes))
        return run.execute(workers, regrade, progress)


class _ClassRun:
    """One grading run; the steps of :func:`grade_class`, in order."""

    def __init__(self, submissions_dir, out_dir, options, course_dir, db_url, lessons,
                 roster=None, caps=(MAX_NOTEBOOK_BYTES, MAX_ARCHIVE_BYTES)):
        self.started = time.monotonic()
        self.caps = caps
        self.roster = roster or {}
        self.options = options
        self.course_dir = Path(course_dir).resolve()
        self.out_dir = Path(out_dir).resolve()
        self.source = Path(submissions_dir).resolve()
        self.submissions, found = self._discover(lessons)
        self.lessons = sorted({s.lesson for s in self.submissions})
        self.students = sorted({s.student for s in self.submissions})
        self.summary = RunSummary(out_dir=self.out_dir, submissions=len(self.submissions),
                                  unmatched=found.unmatched, layout=found.layout,
                                  skipped=found.skipped, superseded=found.superseded,
                                  unknown_to_roster=sorted(
                                      set(self.students) - set(self.roster)) if self.roster
                                  else [])
        self.root = self.out_dir / PRIVATE_COURSE
        self.state = self.root / STATE
        self.db_url = db_url or f"sqlite:///{self.root / 'gradebook.db'}"
        self.records = {}

    def _discover(self, lessons):
        known = known_lessons(self.course_dir)
        if not known:
            raise GradingError(f"No lessons in {self.course_dir / 'source'}.")
        unknown = sorted(set(lessons or ()) - set(known))
        if unknown:
            raise SubmissionError(f"Unknown lesson(s) {unknown}; the lessons are "
                                  f"{', '.join(known)}.")
        check_folders(self.source, self.out_dir)
        found = discover(self.source, lessons or known, *self.caps)
        if not found.submissions:
            raise SubmissionError(f"No notebook in {self.source} belongs to a lesson "
                                  f"({', '.join(lessons or known)}); unmatched files: "
                                  f"{', '.join(found.unmatched[:5])}.")
        return found.submissions, found

    def execute(self, workers, regrade, progress):
        nbgrader_environment()
        quiet_nbgrader_warnings()
        self._prepare_state(regrade)
        self._prepare_sandbox()
        self._load_lessons()
        tasks = self._plan()
        if tasks:
            self._grade(tasks, workers, progress)
        else:
            prepare_lessons(self.api, self.root, self.lessons, self.instructor, self.options,
                            self.db_url)
        return self._write_outputs()

    def _prepare_state(self, regrade):
        new_gradebook = check_gradebook(self.db_url)   # first: a wrong --db fails at once
        if regrade:
            shutil.rmtree(self.state / "journal", ignore_errors=True)
        self.state.mkdir(parents=True, exist_ok=True)
        if new_gradebook:
            # a new gradebook: records of an earlier run describe grades it no longer holds
            shutil.rmtree(self.state / "journal", ignore_errors=True)
            (self.state / "lessons.json").unlink(missing_ok=True)
        write_config_file(self.root, self.db_url)

    def _prepare_sandbox(self):
        """The kernelspec whose launcher reads a policy file (rewritten if we fall back)."""
        from ..sandbox.launch import write_kernelspec
        from ..sandbox.policy import from_options

        try:
            self.policy = from_options(
                self.options.sandbox, self.options.memory_mib, self.options.timeout,
                hidden=tuple(str(p) for p in (self.root, self.out_dir, self.source,
                                              *self._repository_secrets())),
                kernel_log=str(self.state / "kernels.log"))
        except RuntimeError as error:  # --sandbox bubblewrap where it cannot be used
            raise GradingError(str(error)) from None
        self.status = self.policy.status()
        self.policy_path = self.policy.write(self.state / "sandbox-policy.json")
        self.jupyter_path = self.state / "jupyter"
        write_kernelspec(self.jupyter_path / "kernels", self.policy_path)

    def _repository_secrets(self):
        """What a kernel must not read although the host is mounted read-only: the course's
        sources (hidden tests), the solutions, the repository's history, tests and sample
        class (the grader's package itself stays visible: the grade cells import it)."""
        repo = self.course_dir.parent
        return [path for path in (self.course_dir, repo / "solutions", repo / ".git",
                                  repo / "tests", repo / "sample_class") if path.is_dir()]

    def _load_lessons(self):
        from ..sandbox.launch import KERNEL_NAME

        self.config = grading_config(self.root, self.course_dir, self.options,
                                     db_url=self.db_url, kernel_name=KERNEL_NAME)
        self.api = make_api(self.config)
        self.instructor = {lesson: instructor_notebook(lesson, self.course_dir)
                           for lesson in self.lessons}
        self.releases = {lesson: _release_notebook(lesson, self.course_dir.parent)
                         for lesson in self.lessons}
        self.tests = {lesson: grade_cells(nb, lesson) for lesson, nb in self.instructor.items()}
        self.code_cells = {lesson: sum(c.cell_type == "code" for c in nb.cells)
                           for lesson, nb in self.instructor.items()}

    #: Seconds a plain submission costs per code cell of its lesson, roughly (the bundled
    #: lessons: 4.5 to 7.5 s for 28 to 42 code cells on 2 cores). Only the order of the
    #: estimates matters.
    SECONDS_PER_CODE_CELL = 0.17

    #: Code that can make a submission cost whole time limits and fresh kernels: loops that may
    #: never end, signal handlers (a loop that ignores the interrupt), exits, processes and
    #: sleeps. Counted only where the student added it (the released notebook's own is not).
    RISKY_CODE = re.compile(r"\bwhile\b|\bsignal\b|\b_?exit\s*\(|\bquit\s*\(|\bfork\b|"
                            r"\bsubprocess\b|\bmultiprocessing\b|\bsleep\s*\(")

    def _plan(self):
        """The submissions without an up-to-date record, the most expensive first.

        Longest first keeps every worker busy to the end: a submission that runs into its time
        limits is otherwise often the last one left while the other workers idle. The cost of
        each is estimated cheaply (:meth:`_expected_seconds`); nothing is executed.
        """
        prints = {lesson: notebook_fingerprint(nb) for lesson, nb in self.instructor.items()}
        self._release_risk = {lesson: self._risky_lines(_code_of(nb))
                              for lesson, nb in self.releases.items()}
        costed = []
        for sub in self.submissions:
            fingerprint = "/".join([sub.fingerprint(), prints[sub.lesson],
                                    self.options.fingerprint(sub.lesson)]
                                   + ["lms-late"] * sub.late_mark)
            record = read_journal(self.root, sub.student, sub.lesson)
            if record and record.fingerprint == fingerprint and \
                    record.outcome in ("graded", Status.MALFORMED, Status.TOO_LARGE):
                self.records[sub.key] = record
                self.summary.reused += 1
            else:
                task = Task(sub.student, sub.lesson, sub.path, sub.member, sub.timestamp,
                            fingerprint, sub.origin, late_mark=sub.late_mark,
                            max_bytes=sub.max_bytes, refused=sub.refused)
                costed.append((self._expected_seconds(task, record), task))
        costed.sort(key=lambda pair: (-pair[0], pair[1].student, pair[1].lesson))
        return [task for _, task in costed]

    def _expected_seconds(self, task, record):
        """A rough cost of grading ``task``: what an earlier record of it took (it changed
        since), else its lesson's code cells plus one time limit per risky construct the
        student added (lines with :attr:`RISKY_CODE`)."""
        if record and record.seconds:
            return float(record.seconds)
        try:
            code = _code_of(parse_notebook(task.read_bytes(), validate=False))
        except (OSError, ValueError, zipfile.BadZipFile, EOFError):
            return 0.0   # unreadable or too large (TooLarge is a ValueError): recorded at once
        added = self._risky_lines(code) - self._release_risk[task.lesson]
        return self.SECONDS_PER_CODE_CELL * self.code_cells[task.lesson] + \
            self.options.timeout * max(0, added)

    def _risky_lines(self, code):
        return sum(1 for line in code.splitlines() if self.RISKY_CODE.search(line))

    def _deadline(self, task):
        """Seconds after which a worker stuck on ``task`` is stopped: far beyond what the
        executor's own limits allow (every cell timing out, every restart used)."""
        per_cell = self.options.timeout + 6
        return 120 + 2 * self.code_cells[task.lesson] * per_cell * \
            (self.options.max_kernel_restarts + 1)

    def _grade(self, tasks, workers, progress):
        from .pool import WorkerPool

        workers = max(1, min(int(workers or default_workers()), len(tasks)))
        self.summary.workers = workers
        # Kernels' connection files and Unix sockets need a short private path (a socket path
        # may not be longer than about 100 bytes, and DIR can be deep).
        runtime = tempfile.mkdtemp(prefix="autograder-")
        setup = {"root": str(self.root), "config": self.config, "releases": self.releases,
                 "tests": self.tests, "feedback_dir": str(self.out_dir / "feedback"),
                 "jupyter_path": str(self.jupyter_path), "runtime_dir": runtime,
                 "log_path": str(self.state / "workers.log"),
                 "policy_path": str(self.policy_path), "parent_pid": os.getpid(),
                 "verification": {"course_dir": str(self.course_dir),
                                  "hidden": [str(p) for p in (self.root, self.out_dir,
                                                              self.source) if p.is_dir()],
                                  # --sandbox, --memory and --timeout reach the verifier too
                                  "sandbox": self.options.sandbox,
                                  "memory_mib": int(self.options.memory_mib),
                                  "timeout": int(self.options.timeout)}
                 if self.options.verify else None}
        done = [self.summary.reused]

        def on_result(task, record):
            if isinstance(record, WorkerCrash):
                record = _crash_record(task, record.reason, self.tests)
                record.log = write_failure_log(self.out_dir, task.student, task.lesson,
                                               record.error)
            if record.outcome == "error":
                log = record.error
                self.summary.errors.append((task.student, task.lesson,
                                            f"{real_cause(log)}\n(full log: DIR/"
                                            f"{record.log or 'nbgrader/.autograder/workers.log'}"
                                            f")\n...\n{log[-600:]}" if log else "unknown"))
            else:
                write_journal(self.root, record)
            self.records[task.student, task.lesson] = record
            self.summary.graded_now += 1
            done[0] += 1
            if progress:
                progress(done[0], len(self.submissions), task, record)

        # Lessons go into the gradebook in the order their first task is handed out. Only the
        # first is set up before grading starts; the parent sets up each of the others while
        # the workers grade, just before a task needs it (a worker is otherwise idle).
        order = list(dict.fromkeys([task.lesson for task in tasks] + self.lessons))
        prepared = set()

        def prepare(lesson):
            prepare_lessons(self.api, self.root, [lesson], self.instructor, self.options,
                            self.db_url)
            prepared.add(lesson)

        with _removed_afterwards(runtime), WorkerPool(workers, setup) as pool:
            pool.start_probe(self.state / "probe")     # a kernel starts while nbgrader sets up
            self._create_gradebook()
            prepare(order[0])
            self._check_sandbox(pool)
            self.summary.phases["set-up"] = time.monotonic() - self.started
            pool.run(tasks, self._deadline, on_result, ready=lambda t: t.lesson in prepared,
                     meanwhile=[functools.partial(prepare, lesson) for lesson in order[1:]])
            self.summary.phases["grading"] = \
                time.monotonic() - self.started - self.summary.phases["set-up"]

    def _create_gradebook(self):
        """Create a new gradebook as nbgrader's ``Gradebook`` does, without its subprocess.

        nbgrader stamps a new database with the alembic revision it reads by running
        ``alembic heads``: a new Python process that imports all of nbgrader, 3 to 7 s on 2
        cores, before any grading can start. The same revision is read here in-process. An
        existing gradebook is left alone, and so is a new one when the revision is not single
        (nbgrader then creates it itself, as before).
        """
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        from nbgrader.api import Base
        from nbgrader.dbutil import ALEMBIC_DIR
        from sqlalchemy import create_engine, inspect, text

        from .dblock import gradebook_lock

        config = Config()
        config.set_main_option("script_location", ALEMBIC_DIR)
        heads = ScriptDirectory.from_config(config).get_heads()
        with gradebook_lock(self.db_url):     # another grader may be creating it now
            engine = create_engine(self.db_url, future=True)
            try:
                if len(heads) != 1 or inspect(engine).get_table_names():
                    return
                Base.metadata.create_all(bind=engine)
                with engine.begin() as connection:
                    connection.execute(text("CREATE TABLE alembic_version "
                                            "(version_num VARCHAR(32) NOT NULL)"))
                    connection.execute(text("INSERT INTO alembic_version (version_num) "
                                            "VALUES (:head)"), {"head": heads[0]})
            finally:
                engine.dispose()

    def _check_sandbox(self, pool):
        """Fall back to resource limits when no kernel starts in bubblewrap (and say why)."""
        problem = pool.finish_probe()
        if problem and self.policy.mode == "bubblewrap" and self.options.sandbox == "auto":
            self.policy = self.policy.replace(
                mode="rlimits", bwrap="", size_caps=False,
                reason=f"a kernel did not start in it here ({problem.splitlines()[-1]})")
            self.status = self.policy.status()
            self.policy.write(self.policy_path)
            problem = pool.probe(self.state / "probe")
        if problem:
            raise GradingError("A grading kernel does not start on this machine:\n"
                               f"{problem}\nCheck that `{sys.executable} -m ipykernel` works, "
                               "or try --sandbox rlimits.")

    def _similarity(self):
        """Compare every readable submission's answers with the others' and the solutions'."""
        from .similarity import compare_class, write_page

        notebooks = []
        for sub in self.submissions:
            try:
                notebooks.append((sub.student, sub.lesson, parse_notebook(sub.read_bytes())))
            except (MalformedNotebook, TooLarge, OSError, EOFError, zipfile.BadZipFile):
                continue
        solutions = {}
        for lesson in self.lessons:
            path = self.course_dir.parent / "solutions" / lesson / f"{lesson}.ipynb"
            if path.is_file():
                solutions[lesson] = read_notebook(path, validate=False)
        report = compare_class(notebooks, self.releases, solutions)
        write_page(self.out_dir / "similarity.html", report)
        return report

    def _people(self):
        """student id -> Person: the roster's, else the name the LMS put in the file name."""
        people = {}
        for sub in self.submissions:
            person = self.roster.get(sub.student)
            if person is None and sub.display_name:
                person = Person(sub.student, sub.display_name)
            if person is not None:
                people[sub.student] = person
        return people

    def _write_outputs(self):
        from .report import write_report

        summary = self.summary
        summary.sandbox = self.status
        records = [self.records[s.key] for s in self.submissions if s.key in self.records]
        summary.records = records
        _withdraw_ungraded(records, self.db_url, self.api.coursedir.course_id)
        _refresh_scores(records, self.db_url, self.api.coursedir.course_id)
        write_scores(self.out_dir / "scores.csv", records, self.students, self.lessons,
                     self.tests)
        write_grades(self.out_dir / "grades.csv", self.api, self.students, self.lessons,
                     self._people())
        write_students(self.out_dir / "students.csv", self.submissions, self.roster)
        write_lms_files(self.out_dir)
        try:
            summary.similarity = self._similarity()
        except Exception as error:   # evidence for a human, never a reason to lose the report
            summary.similarity = None
            summary.similarity_failure = f"{type(error).__name__}: {str(error)[:200]}"
        _prune_feedback(self.out_dir / "feedback", records)
        summary.seconds = time.monotonic() - self.started
        write_report(self.out_dir, summary, records, self.students, self.lessons, self.tests)
        summary.seconds = time.monotonic() - self.started
        return summary


@contextlib.contextmanager
def _removed_afterwards(folder):
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _code_of(nb):
    """The source of a notebook's code cells, one string."""
    cells = nb.get("cells", []) if isinstance(nb, dict) else []
    sources = [cell.get("source", "") for cell in cells
               if isinstance(cell, dict) and cell.get("cell_type") == "code"]
    return "\n".join(s if isinstance(s, str) else "".join(map(str, s)) for s in sources)


def _crash_record(task, reason, tests):
    rows = [ScoreRow(cell.grade_id, 0.0, cell.points, Status.ERROR,
                     AUTO if cell.is_test else MANUAL)
            for cell in tests[task.lesson]]
    return SubmissionRecord(task.student, task.lesson, origin=task.origin, outcome="error",
                            error=reason, rows=rows,
                            review=[f"not graded: {real_cause(reason)} (full log: logs/"
                                    f"{task.student}/{task.lesson}.log)"])


def _withdraw_ungraded(records, db_url, course_id):
    """Every submission whose record is not ``graded`` (an error, a crash, a worker killed at
    its deadline, an unreadable file) leaves the gradebook before the exports read it: whatever
    nbgrader saved for it before the failure was never confirmed, and an earlier run's grade of
    a file that is now unreadable no longer counts."""
    for record in records:
        if not record.graded:
            withdraw_submission(db_url, course_id, record.student, record.lesson)


def withdraw_submission(db_url, course_id, student, lesson):
    """Take a submission out of the gradebook (the student stays): its scores no longer count.

    Called by :func:`_withdraw_ungraded` for every record that is not ``graded``, so the
    exports, which read the gradebook, never carry scores the record does not (issue 12: no
    positive verdict, no points).
    """
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gradebook:
        gradebook.update_or_create_student(student)
        try:  # also a readable notebook graded in an earlier run: it no longer counts
            gradebook.remove_submission(lesson, student)
        except MissingEntry:
            pass


def _refresh_scores(records, db_url, course_id):
    """Take each graded cell's score from the gradebook (a grader may have changed it in
    formgrader since the record was written)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gradebook:
        for record in records:
            if not record.graded:
                continue
            try:
                grades = {g.name: g for g in gradebook.find_submission_notebook(
                    record.lesson, record.lesson, record.student).grades}
            except MissingEntry:
                continue
            for row in record.rows:
                grade = grades.get(row.grade_id)
                if grade is None:
                    continue
                row.score = float(grade.score)
                if grade.manual_score is not None:
                    row.status = Status.BY_HAND


def _number(value):
    return f"{round(float(value), 6):g}"


def score_rows(records, students, lessons, tests):
    """The rows of ``scores.csv``: every student x lesson x grade cell, in notebook order."""
    by_key = {r.key: r for r in records}
    rows = []
    for student in students:
        for lesson in lessons:
            record = by_key.get((student, lesson))
            if record is None:
                for cell in tests[lesson]:
                    rows.append([student, lesson, cell.grade_id, "0", _number(cell.points),
                                 Status.NOT_SUBMITTED])
                continue
            for row in record.rows:
                status = status_text(row.status, [*row.flags, *record.flags])
                rows.append([student, lesson, row.grade_id, _number(row.score),
                             _number(row.max_score), status])
    return rows


def write_scores(path, records, students, lessons, tests):
    with open(path, "w", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(SCORE_COLUMNS)
        writer.writerows(score_rows(records, students, lessons, tests))


def write_grades(path, api, students, lessons, people=None):
    """``grades.csv``: nbgrader's wide export; ``people`` (id -> Person) names the students."""
    from nbgrader.api import Gradebook

    from .export import WideCsvExportPlugin

    people = people or {}
    plugin = WideCsvExportPlugin(to=str(path), student=list(students), assignment=list(lessons))
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for student in students:             # a student with only malformed files is listed too
            person = people.get(student)
            if person is None:
                gradebook.update_or_create_student(student)
            else:
                first, last = person.first_last
                gradebook.update_or_create_student(student, first_name=first, last_name=last,
                                                   email=person.email or None)
        plugin.export(gradebook)


def _prune_feedback(feedback_dir, records):
    """Remove feedback pages of submissions that are no longer part of the class."""
    keep = {(feedback_dir.parent / r.feedback).resolve() for r in records if r.feedback}
    if not feedback_dir.is_dir():
        return
    for page in feedback_dir.rglob("*.html"):
        if page.resolve() not in keep:
            page.unlink()
    for folder in sorted(feedback_dir.iterdir()):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
