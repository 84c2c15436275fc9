"""Grade a whole class (``python -m autograder grade``) or one notebook (``... check``).

A run, start to finish (see the README for the command and ``--help`` for the layouts):

1. find the submissions (:mod:`~autograder.pipeline.discover`);
2. set up the private nbgrader course ``DIR/nbgrader/`` (:mod:`~autograder.pipeline.course`):
   each lesson's instructor version, hidden tests included, goes through
   ``generate_assignment`` into the gradebook;
3. decide on the sandbox (:mod:`~autograder.pipeline.sandbox`) and check that a kernel starts in
   it;
4. grade every submission that has no up-to-date record, in parallel worker processes
   (:mod:`~autograder.pipeline.pool`, :mod:`~autograder.pipeline.worker`), journaling each
   finished record: an interrupted run resumes where it stopped, and a second run with the same
   inputs grades nothing again;
5. write ``scores.csv``, ``grades.csv`` (through nbgrader's export, from the gradebook), the
   feedback pages and ``report.html``.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import results as R
from .course import (COURSE, STATE, GradingError, GradingOptions, grading_config,
                     instructor_notebook, known_lessons, make_api, nbgrader_environment,
                     prepare_lessons, quiet_nbgrader_warnings, write_config_file)
from .discover import SubmissionError, discover
from .worker import Task, grade_cells_of, read_journal, write_journal

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
    sandbox: object = None
    seconds: float = 0.0
    workers: int = 1
    layout: str = ""
    records: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _release_notebook(lesson, repo):
    import nbformat

    path = Path(repo) / "notebooks" / lesson / f"{lesson}.ipynb"
    if not path.is_file():
        raise GradingError(f"No released notebook {path}: run `make build` first.")
    return nbformat.read(path, as_version=4)


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
                db_url=None, lessons=None, regrade=False, progress=None):
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
    from .pool import WorkerPool
    from .sandbox import KERNEL_NAME, Policy, detect, write_kernelspec, write_policy

    started = time.monotonic()
    options = options or GradingOptions()
    course_dir = Path(course_dir).resolve()
    out_dir = Path(out_dir).resolve()
    all_lessons = known_lessons(course_dir)
    if not all_lessons:
        raise GradingError(f"No lessons in {course_dir / 'source'}.")
    if lessons:
        unknown = sorted(set(lessons) - set(all_lessons))
        if unknown:
            raise SubmissionError(f"Unknown lesson(s) {unknown}; the lessons are "
                                  f"{', '.join(all_lessons)}.")
    found = discover(submissions_dir, lessons or all_lessons)
    submissions = found.submissions
    if Path(submissions_dir).resolve() in (out_dir, *out_dir.parents):
        raise SubmissionError("The output folder must not contain the submissions folder.")
    if not submissions:
        raise SubmissionError(f"No notebook in {submissions_dir} belongs to a lesson "
                              f"({', '.join(lessons or all_lessons)}); unmatched files: "
                              f"{', '.join(found.unmatched[:5])}.")
    run_lessons = sorted({s.lesson for s in submissions})
    students = sorted({s.student for s in submissions})
    summary = RunSummary(out_dir=out_dir, submissions=len(submissions),
                         unmatched=found.unmatched, layout=found.layout)

    nbgrader_environment()
    quiet_nbgrader_warnings()
    root = out_dir / PRIVATE_COURSE
    state = root / STATE
    if regrade and state.exists():
        shutil.rmtree(state / "journal", ignore_errors=True)
    state.mkdir(parents=True, exist_ok=True)
    db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists():
        # a new gradebook: records of an earlier run describe grades it no longer holds
        shutil.rmtree(state / "journal", ignore_errors=True)
        (state / "lessons.json").unlink(missing_ok=True)
    write_config_file(root, db_url)

    # the sandbox: a kernelspec whose launcher reads a policy file (rewritten on fallback)
    status, bwrap = detect(options.sandbox)
    if options.sandbox == "bubblewrap" and status.mode != "bubblewrap":
        raise GradingError(f"--sandbox bubblewrap was asked for, but {status.reason}.")
    limits = dict(Policy(mode="rlimits").limits)
    limits["address_space_bytes"] = int(options.memory_mib) * 2 ** 20
    policy = Policy(mode=status.mode, bwrap=bwrap, limits=limits,
                    hidden=[str(root), str(out_dir), str(Path(submissions_dir).resolve())])
    policy_path = state / "sandbox-policy.json"
    write_policy(policy_path, policy)
    jupyter_path = state / "jupyter"
    write_kernelspec(jupyter_path / "kernels", policy_path)

    config = grading_config(root, course_dir, options, db_url=db_url, kernel_name=KERNEL_NAME)
    api = make_api(config)
    instructor = {lesson: instructor_notebook(lesson, course_dir) for lesson in run_lessons}
    releases = {lesson: _release_notebook(lesson, course_dir.parent) for lesson in run_lessons}
    lesson_prints = prepare_lessons(api, root, run_lessons, instructor, options, db_url)
    tests = {lesson: grade_cells_of(instructor[lesson]) for lesson in run_lessons}
    code_cells = {lesson: sum(c.cell_type == "code" for c in instructor[lesson].cells)
                  for lesson in run_lessons}

    tasks, records = [], {}
    for sub in submissions:
        fingerprint = "/".join([sub.fingerprint(), lesson_prints[sub.lesson],
                                options.fingerprint(sub.lesson)])
        task = Task(sub.student, sub.lesson, sub.path, sub.member, sub.timestamp, fingerprint,
                    sub.origin)
        record = read_journal(root, sub.student, sub.lesson)
        if record and record.get("fingerprint") == fingerprint and \
                record.get("outcome") in ("graded", "malformed"):
            records[sub.key] = record
            summary.reused += 1
        else:
            tasks.append(task)
    # longest first (the lessons with most code cells), for an even load across workers
    tasks.sort(key=lambda t: (-code_cells[t.lesson], t.student))

    feedback_dir = out_dir / "feedback"
    workers = max(1, min(int(workers or default_workers()), max(1, len(tasks))))
    summary.workers = workers
    setup = {"root": str(root), "config": config, "releases": releases, "tests": tests,
             "feedback_dir": str(feedback_dir), "jupyter_path": str(jupyter_path),
             "runtime_dir": str(state / "runtime"),
             "log_path": str(state / "workers.log")}
    done = [summary.reused]
    total = len(submissions)

    def deadline_of(task):
        per_cell = options.timeout + 6
        return 120 + 2 * code_cells[task.lesson] * per_cell * (options.max_kernel_restarts + 1)

    def on_result(task, record):
        if "crash" in record:
            record = _crash_record(task, record["crash"], tests)
        if record.get("outcome") == "error":
            summary.errors.append((task.student, task.lesson,
                                   record.get("error", "")[-600:] or "unknown"))
        else:
            write_journal(root, record)
        records[(task.student, task.lesson)] = record
        summary.graded_now += 1
        done[0] += 1
        if progress:
            progress(done[0], total, task, record)

    if tasks:
        with WorkerPool(workers, setup) as pool:
            problem = pool.probe(state / "probe")
            if problem and status.mode == "bubblewrap" and options.sandbox == "auto":
                status.reason = f"a kernel did not start in it here ({problem.splitlines()[-1]})"
                status.mode = "rlimits"
                status.summary = ("Kernels ran with resource limits only (address space, CPU "
                                  "time, file size, open files): no filesystem or network "
                                  "isolation.")
                policy.mode = "rlimits"
                write_policy(policy_path, policy)
                problem = pool.probe(state / "probe")
            if problem:
                raise GradingError("A grading kernel does not start on this machine:\n"
                                   f"{problem}\nCheck that `{sys.executable} -m ipykernel` "
                                   "works, or try --sandbox rlimits.")
            pool.run(tasks, deadline_of, on_result)
    summary.sandbox = status
    (state / "sandbox.json").write_text(json.dumps({"mode": status.mode,
                                                    "summary": status.summary,
                                                    "reason": status.reason}))

    ordered = [records[s.key] for s in submissions if s.key in records]
    summary.records = ordered
    _refresh_scores(ordered, db_url, api.coursedir.course_id)
    write_scores(out_dir / "scores.csv", ordered, students, run_lessons, tests)
    write_grades(out_dir / "grades.csv", api, students, run_lessons)
    _prune_feedback(feedback_dir, ordered)
    summary.seconds = time.monotonic() - started
    from .report import write_report

    write_report(out_dir, summary, ordered, students, run_lessons, tests)
    return summary


def _crash_record(task, reason, tests):
    rows = [{"grade_id": grade_id, "score": 0.0, "max_score": points, "status": R.ERROR,
             "kind": "auto" if is_test else "manual", "flags": [], "message": ""}
            for grade_id, points, is_test in tests[task.lesson]]
    return {"student": task.student, "lesson": task.lesson, "origin": task.origin,
            "outcome": "error", "error": reason, "rows": rows, "flags": [], "notes": [],
            "review": [f"not graded: {reason.strip().splitlines()[-1] if reason else ''}"],
            "misconceptions": [], "late_seconds": 0.0}


def _refresh_scores(records, db_url, course_id):
    """Take each graded cell's score from the gradebook (a grader may have changed it in
    formgrader since the record was written)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gradebook:
        for record in records:
            if record.get("outcome") != "graded":
                continue
            try:
                grades = {g.name: g for g in gradebook.find_submission_notebook(
                    record["lesson"], record["lesson"], record["student"]).grades}
            except MissingEntry:
                continue
            for row in record["rows"]:
                grade = grades.get(row["grade_id"])
                if grade is None:
                    continue
                row["score"] = float(grade.score)
                if grade.manual_score is not None:
                    row["status"] = R.BY_HAND


def _number(value):
    return f"{round(float(value), 6):g}"


def score_rows(records, students, lessons, tests):
    """The rows of ``scores.csv``: every student x lesson x grade cell, in notebook order."""
    by_key = {(r["student"], r["lesson"]): r for r in records}
    rows = []
    for student in students:
        for lesson in lessons:
            record = by_key.get((student, lesson))
            if record is None:
                for grade_id, points, _ in tests[lesson]:
                    rows.append([student, lesson, grade_id, "0", _number(points),
                                 R.NOT_SUBMITTED])
                continue
            flags = record.get("flags", [])
            for row in record["rows"]:
                status = R.status_text(row["status"], [*row.get("flags", []), *flags])
                rows.append([student, lesson, row["grade_id"], _number(row["score"]),
                             _number(row["max_score"]), status])
    return rows


def write_scores(path, records, students, lessons, tests):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SCORE_COLUMNS)
        writer.writerows(score_rows(records, students, lessons, tests))


def write_grades(path, api, students, lessons):
    from nbgrader.api import Gradebook

    from .export import WideCsvExportPlugin

    plugin = WideCsvExportPlugin(to=str(path), student=list(students), assignment=list(lessons))
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for student in students:             # a student with only malformed files is listed too
            gradebook.update_or_create_student(student)
        plugin.export(gradebook)


def _prune_feedback(feedback_dir, records):
    """Remove feedback pages of submissions that are no longer part of the class."""
    keep = {(feedback_dir.parent / r["feedback"]).resolve() for r in records
            if r.get("feedback")}
    if not feedback_dir.is_dir():
        return
    for page in feedback_dir.rglob("*.html"):
        if page.resolve() not in keep:
            page.unlink()
    for folder in sorted(feedback_dir.iterdir()):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


# ---- one notebook: a student's own check ----------------------------------------------------

def check_notebook(path, lesson, timeout=None, course_dir=COURSE):
    """Grade one notebook from the visible tests, as the instructor's run would.

    The released version of the lesson (visible tests only) is the source of a throw-away
    nbgrader course; the notebook is copied into it and autograded there with the same
    executor, sandbox and cell restoration as a class run. The file itself is only read.

    Returns
    -------
    dict
        The record (see :mod:`autograder.pipeline.worker`), ``rows`` in notebook order.
    """
    from .sandbox import KERNEL_NAME, Policy, detect, write_kernelspec, write_policy
    from .worker import SubmissionGrader

    options = GradingOptions(timeout=timeout or GradingOptions().timeout)
    course_dir = Path(course_dir).resolve()
    release = _release_notebook(lesson, course_dir.parent)
    nbgrader_environment()
    quiet_nbgrader_warnings()
    with tempfile.TemporaryDirectory(prefix="autograder-check-") as scratch:
        scratch = Path(scratch)
        root = scratch / "course"
        state = root / STATE
        state.mkdir(parents=True)
        status, bwrap = detect("auto")
        policy = Policy(mode=status.mode, bwrap=bwrap, hidden=[str(root / "gradebook.db")])
        write_policy(state / "policy.json", policy)
        write_kernelspec(state / "jupyter" / "kernels", state / "policy.json")
        saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR")}
        os.environ["JUPYTER_PATH"] = str(state / "jupyter")
        os.environ["JUPYTER_RUNTIME_DIR"] = str(state / "runtime")
        try:
            db_url = f"sqlite:///{root / 'gradebook.db'}"
            config = grading_config(root, course_dir, options, db_url=db_url,
                                    kernel_name=KERNEL_NAME)
            api = make_api(config)
            prepare_lessons(api, root, [lesson], {lesson: release}, options, db_url)
            grader = SubmissionGrader(root, config, {lesson: release},
                                      {lesson: grade_cells_of(release)}, scratch / "feedback")
            grader.api = api
            problem = grader.probe(state / "probe") if status.mode == "bubblewrap" else ""
            if problem:
                policy.mode = "rlimits"
                write_policy(state / "policy.json", policy)
            task = Task("me", lesson, str(Path(path).resolve()), None, None, "", str(path))
            return grader.grade(task)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
