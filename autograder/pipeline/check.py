"""``python -m autograder check NOTEBOOK``: a student's notebook graded from the visible tests.

The notebook is graded the way a class run grades it (the released tests put back into a copy,
nbgrader's autograde with the same executor, sandbox and per-cell limits), and the result is a
:class:`CheckResult`: every grade cell with its score and the *whole* message of its failure
(the named mistake, "Where to look"), the worked cells that raised, and the exit status.

What ``check`` leaves out, because a student's check does not need it (measured in
``benchmarks/check_speed.py``):

* the feedback page (nbgrader's ``generate_feedback``: an HTML export of the whole notebook,
  about a second or more per run); the terminal shows the messages instead;
* the sandbox probe (a kernel started only to see whether bubblewrap works here): the grading
  kernel itself is the probe. Only when grading under bubblewrap fails is the probe run, and on
  its failure the notebook is graded again under resource limits alone, as a class run would;
* nbgrader's Jupyter server extensions and setuptools, which ``import nbgrader`` would load
  (:mod:`autograder.pipeline.lean_import`), the catalogue of named mistakes while no test has
  failed, and the interpreter's tear-down at exit (``autograder.__main__.exit_now``).

The file itself is only read.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .status import Status, error_outputs
from .course import COURSE, STATE, GradingOptions
from ..notebook import grade_cells, nbgrader_meta, read_notebook

#: Exit statuses of ``check`` (documented in its ``--help``).
EXIT_ALL_POINTS = 0
EXIT_POINTS_MISSING = 1
EXIT_USAGE = 2
EXIT_CHECK_FAILED = 3

#: Version of the ``--json`` document; bumped when a field changes meaning or goes away.
JSON_VERSION = 1

JSON_FIELDS = """\
--json prints one JSON object on stdout (nothing else goes to stdout):
  version          1 (the schema of this document)
  notebook         the path checked; lesson: the lesson id
  outcome          "graded", "malformed" (the file is not a notebook), "usage" (no such file,
                   no lesson: only version, notebook, outcome, exit_code and error are given)
                   or "error" (the check itself failed)
  exit_code        the exit status above
  points, max_points   autograded points scored and available
  manual_points    points of written answers, graded by hand (not in points)
  cells            one object per grade cell, in notebook order: grade_id, kind ("auto" or
                   "manual"), score, max_score, status (as in scores.csv), message (the whole
                   message of its failure, "" when it passed)
  worked_failures  code cells that are not graded and raised: cell (number, from 1), label,
                   message
  notes            sentences about the file (restored cells, edited tests)
  seconds          wall time of the check; phases: seconds per step
  error            why the check failed or the file could not be read ("" otherwise)
"""


@dataclass
class CellReport:
    """One grade cell: its points and, when it did not pass, the whole message it showed."""

    grade_id: str
    kind: str            # "auto" (a test) or "manual" (a written answer)
    score: float
    max_score: float
    status: str          # the words of scores.csv (autograder.pipeline.status)
    message: str = ""    # every line of the failure: the mistake named, "Where to look"


@dataclass
class WorkedCell:
    """A code cell that is not graded (a worked example, an answer cell) and raised."""

    cell: int            # position in the notebook, counting from 1
    label: str           # how the cell starts
    message: str


@dataclass
class CheckResult:
    """What ``check`` found; :meth:`to_dict` is the ``--json`` document."""

    notebook: str
    lesson: str
    outcome: str = "graded"
    cells: list = field(default_factory=list)
    worked_failures: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)
    error: str = ""

    @property
    def points(self) -> float:
        return sum(c.score for c in self.cells if c.kind == "auto")

    @property
    def max_points(self) -> float:
        return sum(c.max_score for c in self.cells if c.kind == "auto")

    @property
    def manual_points(self) -> float:
        return sum(c.max_score for c in self.cells if c.kind == "manual")

    @property
    def exit_code(self) -> int:
        if self.outcome == "malformed":
            return EXIT_USAGE
        if self.outcome != "graded":
            return EXIT_CHECK_FAILED
        return EXIT_ALL_POINTS if self.points >= self.max_points else EXIT_POINTS_MISSING

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(version=JSON_VERSION, exit_code=self.exit_code, points=self.points,
                    max_points=self.max_points, manual_points=self.manual_points)
        return {key: data[key] for key in (
            "version", "notebook", "lesson", "outcome", "exit_code", "points", "max_points",
            "manual_points", "cells", "worked_failures", "notes", "seconds", "phases",
            "error")}


# ---- reading a graded notebook ----------------------------------------------------------------

def full_message(cell) -> str:
    """The whole message of a cell's first error (or of what it wrote to stderr), or ''."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            ename, evalue = output.get("ename", "Error"), str(output.get("evalue", "")).strip()
            return f"{ename}: {evalue}" if evalue else ename
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return ("wrote to stderr (nbgrader gives 0 for that): "
                    + str(output.get("text", "")).strip())
    return ""


def _label(cell) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return first if len(first) <= 60 else first[:57] + "..."


def read_graded(graded_nb, rows):
    """The cells and worked-cell failures of an autograded notebook and the worker's rows."""
    by_id = {nbgrader_meta(c).get("grade_id"): c for c in graded_nb.cells
             if nbgrader_meta(c).get("grade")}
    cells = []
    for row in rows:
        message = ""
        if row.is_auto and row.status != Status.PASSED and row.grade_id in by_id:
            message = full_message(by_id[row.grade_id]) or row.message
        cells.append(CellReport(row.grade_id, row.kind, float(row.score), float(row.max_score),
                                row.status, message))
    worked = []
    for number, cell in enumerate(graded_nb.cells, start=1):
        if cell.cell_type != "code" or nbgrader_meta(cell).get("grade"):
            continue
        if error_outputs(cell):
            worked.append(WorkedCell(number, _label(cell), full_message(cell)))
    return cells, worked


# ---- the time it takes --------------------------------------------------------------------------

def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "autograder"


def _times_file() -> Path:
    return _cache_dir() / "check_seconds.json"


def expected_seconds(lesson):
    """The time the last check of this lesson took on this machine, or None."""
    try:
        value = json.loads(_times_file().read_text()).get(lesson)
        return float(value) if value else None
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def remember_seconds(lesson, seconds):
    """Keep the time of this check for the next announcement (best effort, never fails)."""
    path = _times_file()
    try:
        known = json.loads(path.read_text()) if path.is_file() else {}
        if not isinstance(known, dict):
            known = {}
        known[lesson] = round(float(seconds), 1)
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(known, indent=0, sort_keys=True))
        os.replace(scratch, path)
    except (OSError, ValueError):
        pass


# ---- the check ----------------------------------------------------------------------------------

def run_check(path, lesson, timeout=None, course_dir=COURSE) -> CheckResult:
    """Grade one notebook from the visible tests, as the instructor's run would.

    The released version of the lesson (visible tests only) is the source of a throw-away
    nbgrader course; the notebook is copied into it and autograded there with the same
    executor, sandbox and cell restoration as a class run (:class:`SubmissionGrader`). No
    feedback page is written (see the module docstring).

    Returns
    -------
    CheckResult
    """
    from .course import grading_config, make_api, nbgrader_environment, quiet_nbgrader_warnings
    from .grading import _release_notebook
    from ..sandbox.launch import KERNEL_NAME, write_kernelspec
    from ..sandbox.policy import from_options
    from .worker import SubmissionGrader, Task

    started = time.monotonic()
    phases = {}
    clock = time.monotonic()
    options = GradingOptions(timeout=timeout or GradingOptions().timeout)
    course_dir = Path(course_dir).resolve()
    release = _release_notebook(lesson, course_dir.parent)
    nbgrader_environment()
    quiet_nbgrader_warnings()
    result = CheckResult(notebook=str(path), lesson=lesson)
    with tempfile.TemporaryDirectory(prefix="autograder-check-") as scratch:
        scratch = Path(scratch)
        root = scratch / "course"
        state = root / STATE
        state.mkdir(parents=True)
        policy = from_options("auto", timeout=timeout, hidden=(str(root),),
                              kernel_log=str(state / "kernels.log"))
        policy.write(state / "policy.json")
        write_kernelspec(state / "jupyter" / "kernels", state / "policy.json")
        saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR")}
        os.environ["JUPYTER_PATH"] = str(state / "jupyter")
        os.environ["JUPYTER_RUNTIME_DIR"] = str(scratch / "rt")
        try:
            db_url = f"sqlite:///{root / 'gradebook.db'}"
            config = grading_config(root, course_dir, options, db_url=db_url,
                                    kernel_name=KERNEL_NAME)
            api = make_api(config)
            phases["set-up"] = time.monotonic() - clock
            clock = time.monotonic()
            reused = _prepare(api, root, lesson, release, options, db_url)
            phases["nbgrader generate_assignment" + (" (reused)" if reused else "")] = \
                time.monotonic() - clock
            clock = time.monotonic()
            grader = SubmissionGrader(root, config, {lesson: release},
                                      {lesson: grade_cells(release, lesson)}, scratch / "feedback",
                                      state / "policy.json")
            grader.api = api
            grader.feedback = False
            task = Task("me", lesson, str(Path(path).resolve()), None, None, "", str(path))
            record = grader.grade(task)
            if record.outcome == "error" and policy.mode == "bubblewrap" and \
                    grader.probe(state / "probe"):
                # bubblewrap does not work here after all: grade under limits alone, as a
                # class run does after its probe
                policy = policy.replace(mode="rlimits", bwrap="", size_caps=False)
                policy.write(state / "policy.json")
                record = grader.grade(task)
            phases["nbgrader autograde (kernel, notebook)"] = time.monotonic() - clock
            clock = time.monotonic()
            _fill(result, record, root, lesson)
            phases["reading the results"] = time.monotonic() - clock
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    result.seconds = round(time.monotonic() - started, 2)
    result.phases = {k: round(v, 2) for k, v in phases.items()}
    return result


#: What ``generate_assignment`` leaves in a private course, kept for the next check.
_PREPARED = ("gradebook.db", "source", "release", f"{STATE}/lessons.json")


def _prepare(api, root, lesson, release, options, db_url):
    """Set the lesson up in the private course, from this machine's cache when it can.

    A fresh gradebook costs nbgrader a subprocess (``alembic heads``, 1.5 s and more on a busy
    machine) and ``generate_assignment`` its own passes over the lesson; both give the same
    files for the same released lesson and nbgrader version, so the first check of a lesson
    keeps them (in ``~/.cache/autograder/check-course``) and later ones copy them. Returns
    whether the cached copy was used.
    """
    import hashlib
    import shutil

    import nbgrader

    from .. import __version__ as ours
    from .course import notebook_fingerprint, prepare_lessons

    from . import course as set_up  # its configuration decides what generate_assignment does

    key = hashlib.sha256("\0".join([
        notebook_fingerprint(release), nbgrader.__version__, str(ours),
        Path(set_up.__file__).read_text(), repr(sorted(options.__dict__.items())),
    ]).encode()).hexdigest()
    cache = _cache_dir() / "check-course" / f"{lesson}-{key[:20]}"
    if (cache / "complete").is_file():
        try:
            for name in _PREPARED:
                source, target = cache / name, Path(root) / name
                if source.is_dir():
                    shutil.copytree(source, target, dirs_exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)
            return True
        except OSError:  # a damaged cache: set the lesson up again below
            for name in _PREPARED:
                target = Path(root) / name
                shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    prepare_lessons(api, root, [lesson], {lesson: release}, options, db_url)
    try:  # best effort: written aside, then renamed, so a concurrent check never reads half
        scratch = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        for name in _PREPARED:
            source, target = Path(root) / name, scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copyfile(source, target)
        (scratch / "complete").write_text("")
        os.replace(scratch, cache)
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
    return False


def _fill(result, record, root, lesson):
    result.outcome = record.outcome
    result.notes = list(record.notes)
    if record.outcome == Status.MALFORMED:
        result.error = record.review[0].split(": ", 1)[-1] if record.review else ""
        return
    if record.outcome == "error":
        result.error = record.error
        return
    graded = root / "autograded" / "me" / lesson / f"{lesson}.ipynb"
    graded_nb = read_notebook(graded, None, validate=False)   # nbgrader's own output
    result.cells, result.worked_failures = read_graded(graded_nb, record.rows)


# ---- the text a student reads -------------------------------------------------------------------

def _indent(text, prefix="    "):
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def _short(line):
    """A table's first line of a message: a failed check's class name says nothing there."""
    return line.split(": ", 1)[1] if line.startswith("CheckFailed: ") else line


def format_report(result: CheckResult) -> str:
    """The table of grade cells, then the whole message of every failing one."""
    lines = [f"{'grade cell':<36}{'score':>7}{'max':>6}  result"]
    for cell in result.cells:
        if cell.kind == "manual":
            note = {"unanswered": "not answered", "manual": "graded by hand (written answer)"
                    }.get(cell.status, cell.status)
            score = "-" if cell.status == "manual" else f"{cell.score:g}"
        else:
            note = "ok" if cell.status == Status.PASSED else (
                _short(cell.message.splitlines()[0]) if cell.message else cell.status)
            if cell.status not in (Status.PASSED, Status.FAILED):
                note = f"{cell.status}: {note}" if cell.message else cell.status
            score = f"{cell.score:g}"
        if len(note) > 70:
            note = note[:67] + "..."
        lines.append(f"{cell.grade_id:<36}{score:>7}{cell.max_score:>6g}  {note}")
    lines.append(f"Autograded: {result.points:g} / {result.max_points:g}"
                 + (f"  (+ {result.manual_points:g} points of written answers, graded by hand)"
                    if result.manual_points else ""))
    failing = [c for c in result.cells if c.kind == "auto" and c.status != Status.PASSED]
    if failing:
        lines += ["", "What the failing tests say:"]
        shown = {}
        for cell in failing:
            text = cell.message or cell.status
            head = f"  {cell.grade_id} ({cell.score:g} of {cell.max_score:g}):"
            if text in shown:
                lines += ["", f"{head} the same message as {shown[text]}."]
                continue
            shown[text] = cell.grade_id
            lines += ["", head, _indent(text)]
    if result.worked_failures:
        lines += ["", "Cells that are not graded but raised an error (later cells may need "
                      "what they compute):"]
        for worked in result.worked_failures:
            lines += ["", f"  cell {worked.cell} (`{worked.label}`):", _indent(worked.message)]
    return "\n".join(lines)
