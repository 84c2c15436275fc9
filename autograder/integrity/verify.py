"""Confirm a submission's autograded functions outside the grading kernel.

:func:`verify_submission` runs the submission's code in a sandbox (:mod:`.sandbox`; which code:
:mod:`.student_code`, and of the lesson's own code only what the submission can reach:
:mod:`.needed_code`), then, for every registered exercise of the lesson, draws fresh inputs on
the grader's side (seeds derived from a secret, never the notebook's visible or hidden seeds),
calls the student's function in the sandbox over the data-only channel and compares the result
with the reference using the grade cells' own comparison
(:func:`autograder.checks.compare_result`). The outcome is mapped onto the lesson's grade cells
(those whose source calls ``check_exercise("<id>", ...)``), so that the pipeline can keep, per
grade cell, the lower of the in-kernel score and the verified one.

Only the grader's side decides that something cannot be verified (an exercise whose inputs the
channel cannot carry, a grade cell that checks no registered exercise, a written answer): a
submission can never make its own exercises "not verifiable". When the sandbox cannot start at
all (before any student code runs) the result carries ``error`` and confirms nothing; the
pipeline then keeps the in-kernel scores and lists the submission for a human.

Time: a few tenths of a second per submission on two cores, mostly the sandbox's interpreter
importing numpy (started first, while the grader reads the notebook), plus about a second once
per process (the sandbox probe, reading the lessons, both cached). The shortcuts that make
it so are listed in :mod:`.speedups`; ``benchmarks/verify_speed.py`` compares them with the
baseline.
"""
from __future__ import annotations

import ast
import copy
import functools
import hashlib
import importlib
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .. import exercises as registry
from ..build import COURSE
from .. import isolation
from ..checks import CheckFailed, changed_arguments, compare_result, mutation_message
from ..notebook import WRITTEN, grade_cells
from ..sandbox.policy import from_options
from . import session as sessions
from .channel import Unsupported
from .needed_code import CellPlan, plan_cells
from .speedups import SPEEDUPS
from .student_code import MAX_CELL_CHARS, UnreadableNotebook, extract_code

#: Exercise statuses and what they mean (for the report).
STATUSES = {
    "passed": "types, shapes and values right on every fresh input",
    "failed": "a wrong type, shape or value, or the function raised an error",
    "missing": "no function of that name once the submission's code has run",
    "crashed": "the sandbox ended during the call (exit, kill, memory, a broken channel)",
    "timed_out": "the call, or the whole verification, ran past its time limit",
    "not_verifiable": "the grader cannot check this exercise out of kernel (see the reason)",
}

#: Fresh input draws per exercise, and time limits (seconds). A lesson cell runs in a few
#: seconds (docs/authoring.md) and an exercise's function in milliseconds, even written with
#: loops: the limits only cut short code that hangs, and cost an honest submission nothing.
DEFAULT_CASES = 3
CELL_TIMEOUT = 15.0
CALL_TIMEOUT = 5.0
TOTAL_TIMEOUT = 240.0
START_TIMEOUT = 60.0
#: Sessions per submission: the first, and restarts after a cell or a call ended one.
MAX_SESSIONS = 6

_PROCESS_SECRET = os.urandom(16).hex()


# ---- results -----------------------------------------------------------------------------------

@dataclass
class ExerciseOutcome:
    """The verification of one exercise.

    Attributes
    ----------
    status : str
        A key of :data:`STATUSES`.
    shape_ok : bool
        Types, shapes and finiteness were right on every input tried (what a ``part="shape"``
        grade cell checks); ``False`` for every status but ``passed`` and a values-only failure.
    message : str
        The check's message (hidden-test wording: no inputs, no expected values) or the reason.
    mistake : str or None
        Key of the known mistake the message names.
    calls : list of str
        The student's earlier functions this one called (their right answers stood in); when
        the student's own version failed, the message says so in one line.
    """

    exercise_id: str
    function: str
    status: str
    shape_ok: bool = False
    message: str = ""
    mistake: str | None = None
    cases: int = 0
    seconds: float = 0.0
    #: earlier exercises whose right answers stood in for the student's own during the calls
    calls: list = field(default_factory=list)

    def confirms(self, part):
        """Does this outcome confirm a grade cell that checks ``part`` of the exercise?"""
        if self.status == "passed":
            return True
        return part == "shape" and self.shape_ok


@dataclass
class GradeCellOutcome:
    """What the verification says about one grade cell.

    Attributes
    ----------
    kind : {"autograded", "written", "unverifiable"}
    checks : list of (exercise id, part)
    verified : bool or None
        ``True``: every check confirmed; ``False``: at least one not; ``None``: not verifiable
        out of kernel (written answers and grade cells that check no registered exercise).
    reason : str
    """

    grade_id: str
    points: float
    kind: str
    checks: list = field(default_factory=list)
    verified: bool | None = None
    reason: str = ""


@dataclass
class CellRecord:
    """How one cell ran in the sandbox (the last session that ran it)."""

    origin: str
    label: str
    status: str
    error: str = ""
    seconds: float = 0.0


@dataclass
class VerificationResult:
    """Everything :func:`verify_submission` found.

    Use :meth:`capped_score` per grade cell and :meth:`review_reasons` for the report's "needs a
    human look" list; :meth:`to_dict` is JSON-serialisable.

    For the instructor only: messages, cell errors and flags may quote the fresh inputs (a
    student's own error text can print its arguments) and hold labels the student chose (cell
    ids); escape them in HTML. What a student may see is :meth:`feedback_text`.
    """

    notebook: str
    lesson: str
    sandbox: str
    exercises: dict = field(default_factory=dict)
    grade_cells: dict = field(default_factory=dict)
    cells: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    sessions: int = 0
    seconds: float = 0.0
    error: str = ""

    @property
    def ok(self):
        """Did the verifier itself work (whatever the submission's results)?"""
        return not self.error

    def capped_score(self, grade_id, in_kernel_score):
        """The score to keep for a grade cell: ``min(in-kernel, verified)``.

        A confirmed grade cell keeps its in-kernel score, an unconfirmed one gets 0; written
        answers, grade cells that cannot be verified out of kernel and every cell of a run whose
        verifier failed (``error``) keep the in-kernel score (and are listed for review).
        """
        cell = self.grade_cells.get(grade_id)
        if self.error or cell is None or cell.verified is None:
            return in_kernel_score
        return in_kernel_score if cell.verified else min(in_kernel_score, 0.0)

    def review_reasons(self, in_kernel_scores=None):
        """Why a human should look at this submission (empty when nothing is odd).

        Parameters
        ----------
        in_kernel_scores : dict of grade_id -> float, optional
            The in-kernel scores; disagreements with the verification are listed first.
        """
        reasons = []
        if self.error:
            reasons.append(f"the out-of-kernel verification could not run: {self.error}")
        for grade_id, score in (in_kernel_scores or {}).items():
            cell = self.grade_cells.get(grade_id)
            if cell is None or cell.verified is None or self.error:
                continue
            if score > 0 and not cell.verified:
                reasons.append(f"{grade_id}: {score:g} point(s) in the kernel, not confirmed out "
                               f"of kernel ({cell.reason})")
            elif score == 0 and cell.verified and cell.points > 0:
                reasons.append(f"{grade_id}: 0 points in the kernel although the function is "
                               "right out of kernel (an error or stderr output in the kernel?)")
        reasons += self.flags
        return reasons

    def feedback_text(self, grade_id):
        """A sentence for the student's feedback on a grade cell the verification did not
        confirm ('' otherwise).

        Only status words: the messages of the result (student's own error texts included)
        may quote the fresh inputs, and those stay with the instructor.
        """
        cell = self.grade_cells.get(grade_id)
        if self.error or cell is None or cell.verified is not False:
            return ""
        statuses = sorted({self.exercises[e].status.replace("_", " ") for e, _ in cell.checks
                           if e in self.exercises and not self.exercises[e].confirms(
                               dict(cell.checks)[e])})
        return ("The points of this cell could not be confirmed when your functions were run "
                f"again, outside the notebook, on new inputs ({', '.join(statuses)}). Test "
                "your functions on inputs of your own, then ask your instructor.")

    def unverified_cells(self):
        """Grade cells the verifier cannot confirm: ``{grade_id: reason}`` (for the report)."""
        return {g: c.reason for g, c in self.grade_cells.items() if c.verified is None}

    def summary(self):
        """A few lines for a log or the report."""
        lines = [f"{self.notebook} ({self.lesson}): {self.sandbox}"]
        if self.error:
            lines.append(f"  verification failed: {self.error}")
        for outcome in self.exercises.values():
            extra = f" [{outcome.mistake}]" if outcome.mistake else ""
            first = outcome.message.splitlines()[0] if outcome.message else ""
            lines.append(f"  {outcome.function}: {outcome.status}{extra} {first}".rstrip())
        lines += [f"  flag: {flag}" for flag in self.flags]
        return "\n".join(lines)

    def to_dict(self):
        return asdict(self)


# ---- the lesson's grade cells ------------------------------------------------------------------

@dataclass
class _Check:
    exercise_id: str
    part: str
    function: str
    adapter: object = None
    problem: str = ""


def _literal(node, default=None):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return default


def _resolve_adapter(name, tree):
    """The adapter a grade cell wraps the student's function in, imported from ``autograder``
    the way the (instructor's, trusted) grade cell imports it."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograder."):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return getattr(importlib.import_module(node.module), alias.name)
    raise LookupError(f"the adapter {name!r} is not imported from autograder in the grade cell")


def parse_grade_cell(source):
    """The ``check_exercise`` calls of a grade cell and the seeds it uses.

    Returns
    -------
    (list of _Check, set of int)
    """
    tree = ast.parse(source)
    checks, seeds = [], set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name != "check_exercise" or len(node.args) < 2:
            continue
        exercise_id = _literal(node.args[0])
        keywords = {k.arg: k.value for k in node.keywords}
        part = _literal(keywords["part"]) if "part" in keywords else "values"
        if "seeds" in keywords:
            seeds.update(s for s in (_literal(keywords["seeds"], []) or [])
                         if isinstance(s, int))
        target, adapter, problem = node.args[1], None, ""
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) \
                and len(target.args) == 1:
            try:
                adapter = _resolve_adapter(target.func.id, tree)
            except (LookupError, ImportError, AttributeError) as error:
                problem = str(error)
            target = target.args[0]
        if not isinstance(target, ast.Name) or not isinstance(exercise_id, str):
            problem = problem or "the grade cell does not name the student's function plainly"
        function = target.id if isinstance(target, ast.Name) else ""
        checks.append(_Check(str(exercise_id), str(part), function, adapter, problem))
    return checks, seeds


def _grade_cells(lesson, course_dir):
    """``(grade cells, seeds used by the lesson's grade cells)`` from the instructor's version."""
    path = Path(course_dir) / "source" / lesson / f"{lesson}.py"
    return _grade_cells_of(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _grade_cells_of(path, mtime):
    from ..build import text_to_notebook

    cells, seeds = [], {registry.VISIBLE_SEED}
    for cell in grade_cells(text_to_notebook(path), Path(path).stem):
        if cell.kind == WRITTEN:
            cells.append((cell.grade_id, cell.points, "written", []))
            continue
        checks, used = parse_grade_cell(cell.source)
        seeds |= used
        cells.append((cell.grade_id, cell.points, "code", checks))
    return cells, seeds


# ---- seeds -------------------------------------------------------------------------------------

def derive_seeds(secret, exercise_id, count, exclude=()):
    """``count`` seeds for an exercise from a secret: unpredictable without it, reproducible
    with it, never one of ``exclude`` (the notebook's own seeds)."""
    seeds, k = [], 0
    while len(seeds) < count:
        digest = hashlib.sha256(f"{secret}\x00{exercise_id}\x00{k}".encode()).digest()
        seed = int.from_bytes(digest[:8], "little") >> 1
        if seed not in exclude and seed not in seeds:
            seeds.append(seed)
        k += 1
    return seeds


# ---- running the code --------------------------------------------------------------------------

class _SandboxFailure(BaseException):
    """The sandbox could not answer a call; passes through the checks' ``except Exception``."""

    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


class _StudentRaised(Exception):
    """The student's function raised in the sandbox (the text is its error)."""


_FAILURE_STATUS = {"missing": "missing", "not_callable": "missing", "timeout": "timed_out",
                   "not_verifiable": "not_verifiable"}


def _defined_names(source):
    """Names a cell binds at top level (functions, classes, assignments, imports)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        else:
            names.update(n.id for n in ast.walk(node)
                         if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    return names


def _runs_names(source, names):
    """Does a cell use one of ``names`` outside function and class bodies (so that running the
    cell runs the student's code)?"""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    stack = [n for n in tree.body
             if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and node.id in names:
            return True
        stack.extend(c for c in ast.iter_child_nodes(node)
                     if not isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                           ast.Lambda)))
    return False


#: Defined in every session after the submission's cells: calls the student's function with
#: the earlier exercises' names bound to the grader's right answers (served over the channel,
#: as call-backs) and returns what came back, the arguments as they are after the call (changed
#: in place?) and the dtype kinds of the result (the channel carries every array as float64).
#: It runs in the student's process: nothing it returns is trusted beyond what the student's
#: own function could return, and the stand-ins it binds are answers to OTHER exercises only.
ISOLATED_CALL = "__autograder_call__"
_HELPER = f"""
def {ISOLATED_CALL}(name, served, args):
    namespace = globals()
    if name not in namespace:
        raise LookupError("__autograder_missing__")
    fn = namespace[name]
    if not callable(fn):
        raise LookupError("__autograder_not_callable__")
    saved = {{}}
    for other, answer in served.items():
        own = namespace.get(other)
        if callable(own) and own is not fn:
            saved[other] = own
            namespace[other] = {ISOLATED_CALL}_stand_in(own, answer)
    try:
        result = fn(*args)
    finally:
        for other, own in saved.items():
            namespace[other] = own
    return result, args, {ISOLATED_CALL}_kinds(result)


def {ISOLATED_CALL}_stand_in(own, answer):
    import inspect
    try:
        signature = inspect.signature(own)
    except (TypeError, ValueError):
        signature = None

    def stand_in(*args, **kwargs):
        try:
            positional = args
            if kwargs:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                if bound.kwargs:
                    raise TypeError("keyword-only arguments")
                positional = bound.args
            return answer(*positional)
        except Exception:
            return own(*args, **kwargs)

    stand_in.__name__ = getattr(own, "__name__", "stand_in")
    return stand_in


def {ISOLATED_CALL}_kinds(value, depth=0):
    import numpy
    if depth > 30:
        return None
    if issubclass(type(value), numpy.ndarray):
        return numpy.ndarray.view(value, numpy.ndarray).dtype.kind
    if issubclass(type(value), numpy.generic):
        return numpy.array(value).dtype.kind
    if type(value) in (list, tuple):
        return [{ISOLATED_CALL}_kinds(item, depth + 1) for item in value]
    if type(value) is dict and all(type(key) is str for key in value):
        return {{key: {ISOLATED_CALL}_kinds(item, depth + 1) for key, item in value.items()}}
    return None
"""


def _restore_kinds(value, kinds, depth=0):
    """Give back the dtype the student's arrays had (the channel made them float64), so that the
    checks judge a boolean or integer answer as the grade cells do."""
    if depth > 30:
        return value
    if type(kinds) is str and kinds in "biu" and kinds:
        if type(value) is np.ndarray:
            return value.astype(bool if kinds == "b" else np.int64)
        if type(value) is np.float64:
            return np.bool_(value) if kinds == "b" else np.int64(value)
        return value
    if type(kinds) is list and type(value) in (list, tuple) and len(kinds) == len(value):
        items = [_restore_kinds(v, k, depth + 1) for v, k in zip(value, kinds)]
        return tuple(items) if type(value) is tuple else items
    if type(kinds) is dict and type(value) is dict:
        return {key: _restore_kinds(item, kinds.get(key), depth + 1)
                for key, item in value.items()}
    return value


class _Sandboxes:
    """Sessions for one submission: starts one, runs the cells, restarts when one ends.

    ``plans`` say what of each cell runs (:func:`autograder.integrity.needed_code.plan_cells`:
    the lesson statements the submission can reach, every cell of the student's); a cell left
    out entirely is recorded as ``skipped`` with the reason.

    A cell that ends a session (``os._exit``, a kill, a hang past the hard deadline, a flood) is
    left out of later sessions, so that the functions of the other cells can still be verified.
    When the cell was a lesson cell, the student's code it called was to blame, and later
    sessions also leave out every lesson cell that runs the student's code at top level (the
    worked examples and demonstrations; lesson cells that only define functions still run). A
    lesson cell that runs the student's code and times out does the same for the cells after it.
    """

    def __init__(self, policy, deadline, hidden, cell_timeout, max_sessions):
        self.policy, self.deadline = policy, deadline
        self.hidden, self.cell_timeout, self.max_sessions = hidden, cell_timeout, max_sessions
        self.cells, self.plans = [], []
        self.session = None
        self.launched = None  # a session started ahead of the cells (see launch_early)
        self.started = 0
        self.excluded = set()
        self.records = []
        self.events = []
        self.start_error = ""
        self.cell_of_request = {}
        self.dependent = set()
        self.skip_dependent = False

    def set_cells(self, cells, plans):
        """The submission's cells and what of each runs (before the first :meth:`current`)."""
        self.cells, self.plans = cells, plans
        student_names = set()
        for cell in cells:
            if cell.origin != "lesson":
                student_names |= _defined_names(cell.source)
        self.dependent = {i for i, (cell, plan) in enumerate(zip(cells, plans))
                          if cell.origin == "lesson" and plan.source is not None
                          and _runs_names(plan.source, student_names)}

    def launch_early(self):
        """Start the first session's process now; :meth:`current` waits for it later (the
        grader reads and plans the notebook meanwhile)."""
        session = sessions.Session(self.policy, hidden=self.hidden)
        try:
            session.launch()
        except OSError as error:
            session.status, session.detail = "not started", str(error)
            session.close()
            return  # current() starts one the ordinary way, and reports the error
        self.launched = session

    def _new_session(self):
        """A started session (``alive`` or not): the early one, else a fresh one."""
        timeout = min(START_TIMEOUT, max(self.deadline - time.monotonic(), 1))
        session, self.launched = self.launched, None
        if session is not None:
            session.wait_ready(timeout=timeout)
            return session
        session = sessions.Session(self.policy, hidden=self.hidden)
        try:
            session.start(timeout=timeout)
        except OSError as error:  # bwrap or python could not be executed at all
            session.status, session.detail = "not started", str(error)
        return session

    def current(self):
        """A live session with the cells run, or ``None`` (out of sessions or time)."""
        while self.session is None or not self.session.alive:
            if self.session is not None:
                self.session.close()
                self.session = None
            if self.started >= self.max_sessions or time.monotonic() > self.deadline:
                return None
            self.started += 1
            session = self._new_session()
            if not session.alive:
                # Nothing of the student's has run yet: the grader's problem, not theirs.
                self.start_error = (f"the sandbox did not start ({session.status}: "
                                    f"{session.detail})")
                session.close()
                return None
            self.session = session
            self.cell_of_request = {}
            self._run_cells()
        return self.session

    def _culprit(self, blamed_request, current):
        """The cell to leave out when a second reply to ``blamed_request`` arrived.

        A forked child answers for the cell that forked, so that cell is to blame; but the ids
        can be forged, so a lesson cell that runs none of the student's code is never blamed
        (the cell running at the time is).
        """
        index = self.cell_of_request.get(blamed_request)
        if index is None:
            return current
        if self.cells[index].origin == "lesson" and index not in self.dependent:
            return current
        return index

    def blame(self, request_id, status, detail):
        """Leave out the cell that sent request ``request_id`` (it ended a session)."""
        index = self.cell_of_request.get(request_id)
        if index is None or (self.cells[index].origin == "lesson"
                             and index not in self.dependent):
            return False
        self._exclude(index, status, detail)
        return True

    def _exclude(self, index, status, detail):
        cell = self.cells[index]
        self.excluded.add(index)
        self.events.append(f"cell {cell.name} ended the sandbox ({status}: {detail[:200]})")
        if cell.origin == "lesson":
            self.skip_dependent = True

    def _run_cells(self):
        records = []
        for index, (cell, plan) in enumerate(zip(self.cells, self.plans)):
            if plan.source is None:
                records.append(CellRecord(cell.origin, cell.label, "skipped", plan.reason))
                continue
            if index in self.excluded:
                records.append(CellRecord(cell.origin, cell.label, "skipped",
                                          "left out: it ended an earlier sandbox"))
                continue
            if self.skip_dependent and index in self.dependent:
                records.append(CellRecord(cell.origin, cell.label, "skipped",
                                          "left out: it runs the student's code, and a lesson "
                                          "cell doing that ended an earlier sandbox"))
                continue
            remaining = self.deadline - time.monotonic()
            timeout = max(min(self.cell_timeout, remaining), 0.5)
            outcome = self.session.exec_cell(plan.source, cell.name, timeout)
            self.cell_of_request[outcome.request] = index
            records.append(CellRecord(cell.origin, cell.label, outcome.status,
                                      outcome.error, round(outcome.seconds, 3)))
            if outcome.ended_session:
                self._exclude(self._culprit(outcome.blame, index), outcome.status,
                              outcome.error)
                break
            if outcome.status == "timeout" and index in self.dependent:
                # The student's code it ran is slow or hangs: the other demonstrations that
                # run it would only wait as long again.
                self.skip_dependent = True
        else:  # (no cell ended the session) after the student's cells: none can redefine it
            self.session.exec_cell(_HELPER, "<grader>", max(min(self.cell_timeout,
                                                               self.deadline - time.monotonic()),
                                                           0.5))
        self.records = records

    def close(self):
        for session in (self.session, self.launched):
            if session is not None:
                session.close()
        self.session = self.launched = None


#: The served stand-ins run in the grading process, outside the sandbox and its limits, on
#: arguments the student's code chooses. So their arguments are bounded by what the stand-in's
#: own exercise uses: SERVED_MARGIN times how many numbers its worked example's arguments hold
#: and times their largest whole number, never less than SERVED_FLOOR. All the served calls of
#: one exercise's verification share SERVED_SECONDS. A call past a bound raises in the
#: student's code (their function fails, as it would on a wrong call), never in the grader.
SERVED_MARGIN = 100
SERVED_FLOOR = 1_000
SERVED_SECONDS = 20.0


def _largest(value, depth=0):
    """(how many numbers, the largest whole number) in an argument, nested or not.

    An array counts its entries, a container all the numbers in it (``np.zeros(n).tolist()``
    is an array of n to the reference); a float that is a whole number counts as one (an
    iteration count of ``9e6`` works as ``int(9e6)``)."""
    if depth > 8:
        return 0, 0
    if isinstance(value, np.ndarray):
        return int(value.size), 0
    if isinstance(value, (bool, np.bool_)):
        return 0, 0
    if isinstance(value, (int, np.integer)):
        return 0, abs(int(value))
    if isinstance(value, (float, np.floating)):
        whole = np.isfinite(value) and float(value).is_integer()
        return 0, (abs(int(value)) if whole else 0)
    if isinstance(value, (dict, list, tuple)):
        items = value.values() if isinstance(value, dict) else value
        sizes = [_largest(item, depth + 1) for item in items]
        return sum(max(s, 1) for s, _ in sizes), max((i for _, i in sizes), default=0)
    return 0, 0


def _deepest(value, depth=0):
    """How many axes an argument can give the arrays it becomes: an array's ``ndim``, one more
    for each level of list or tuple around numbers or arrays (``np.asarray`` stacks them), the
    deepest value of a dict (a dict of parameters is not stacked)."""
    if depth > 8:
        return 9
    if isinstance(value, np.ndarray):
        return value.ndim
    if isinstance(value, dict):
        return max((_deepest(item, depth + 1) for item in value.values()), default=0)
    if isinstance(value, (list, tuple)):
        return 1 + max((_deepest(item, depth + 1) for item in value), default=0)
    return 0


def _served_bounds(other):
    """``(how many numbers, largest whole number, most axes of one argument)`` a served
    ``other`` accepts. The axes matter as much as the count: three arrays of N numbers
    broadcast to N^3 entries when their axes differ (red team round 5: 3,100 numbers took the
    grader to 8.5 GiB); with the worked example's axes, matrix products give at most N^2."""
    inputs = list(other.inputs(registry.VISIBLE_SEED).values())
    size, integer = _largest(inputs)
    axes = max((_deepest(value) for value in inputs), default=0)
    return (max(SERVED_FLOOR, SERVED_MARGIN * size), max(SERVED_FLOOR, SERVED_MARGIN * integer),
            max(2, axes))


def _served_answers(exercise, calls):
    """``{function name: grader-side function}``: the right answers to the earlier exercises that
    stand in for the student's own while ``exercise`` is verified (:mod:`autograder.isolation`),
    each recording that it was called, within the bounds above."""
    served, spent = {}, [0.0]
    for name, other in registry.reusable(exercise).items():
        reference = other.student_form or other.reference
        bounds = _served_bounds(other)

        def answer(*args, _name=name, _reference=reference, _bounds=bounds):
            calls.add(_name)
            size, integer = _largest(list(args))
            axes = max((_deepest(value) for value in args), default=0)
            if size > _bounds[0] or integer > _bounds[1] or axes > _bounds[2]:
                raise ValueError(
                    f"the grader's {_name} stands in for yours only on inputs of the sizes "
                    f"this lesson uses (at most {_bounds[0]} numbers in all, whole numbers up "
                    f"to {_bounds[1]}, arrays of at most {_bounds[2]} axes); this call passed "
                    f"{size} numbers, up to {integer}, with {axes} axes")
            if spent[0] > SERVED_SECONDS:
                raise TimeoutError(f"the grader's stand-ins for your earlier functions used "
                                   f"their {SERVED_SECONDS:.0f} s for this exercise")
            started = time.monotonic()
            try:
                return _reference(*copy.deepcopy(args))
            finally:
                spent[0] += time.monotonic() - started

        served[name] = answer
    return served


_HELPER_ERRORS = {"LookupError: __autograder_missing__": "missing",
                  "LookupError: __autograder_not_callable__": "not_callable"}


def _verify_exercise(sandboxes, exercise, check, seeds, deadline, call_timeout):
    started = time.monotonic()
    outcome = ExerciseOutcome(exercise.id, exercise.function, "passed", shape_ok=True)
    name = check.function or exercise.function
    calls = isolation.Calls()
    served = _served_answers(exercise, calls)
    after = {}

    def proxy(*args):
        for attempt in range(2):
            session = sandboxes.current()
            if session is None:
                if sandboxes.start_error:
                    raise _SandboxFailure("verifier_error", sandboxes.start_error)
                if time.monotonic() > deadline:
                    raise _SandboxFailure("timeout", "the verification ran out of time")
                raise _SandboxFailure("died", "the sandbox ended too often")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _SandboxFailure("timeout", "the verification ran out of time")
            answer = session.call(ISOLATED_CALL, [name, served, list(args)],
                                  timeout=min(call_timeout, remaining))
            if answer.status == "ok":
                value = answer.value
                if type(value) is not tuple or len(value) != 3:  # the helper was replaced
                    raise _StudentRaised("the call returned something the grader did not ask "
                                         "for")
                result, after["args"], kinds = value
                return _restore_kinds(result, kinds)
            if answer.status == "raised":
                status = _HELPER_ERRORS.get(answer.error.strip())
                if status is not None:
                    raise _SandboxFailure(status, f"no function {name!r} is defined"
                                          if status == "missing" else f"{name!r} is not a "
                                          "function")
                raise _StudentRaised(answer.error)
            # A second reply to an earlier cell's request: that cell broke the session, not
            # this call. Leave it out and ask again in a fresh sandbox.
            if answer.ended_session and attempt == 0 and answer.blame is not None \
                    and sandboxes.blame(answer.blame, answer.status, answer.error):
                continue
            if answer.ended_session:
                sandboxes.events.append(f"a call of {name} ended the sandbox "
                                        f"({answer.status}: {answer.error[:200]})")
            raise _SandboxFailure(answer.status, answer.error)

    fn = check.adapter(proxy) if check.adapter is not None else proxy
    for seed in seeds:
        inputs = exercise.inputs(seed)
        outcome.cases += 1
        after.clear()
        try:
            result = fn(*copy.deepcopy(list(inputs.values())))
        except _SandboxFailure as failure:
            status = _FAILURE_STATUS.get(failure.status, "crashed")
            if failure.status == "verifier_error":
                status = "not_verifiable"
            return _finish(outcome, status, f"`{name}`: {failure.detail}", started, calls=calls)
        except _StudentRaised as raised:
            return _finish(outcome, "failed", f"`{name}` raised {raised}", started, calls=calls)
        except CheckFailed as failed:  # the grade cell's adapter refused the result
            return _finish(outcome, "failed", str(failed), started, calls=calls)
        except Exception as error:  # the adapter choked on what came back
            return _finish(outcome, "failed", f"the result of `{name}` could not be read "
                                              f"({type(error).__name__}: {error})", started,
                           calls=calls)
        foreign = _unsupported(result)
        if foreign is not None:
            return _finish(outcome, "failed", f"`{name}` returned {foreign.description}, which "
                                              "is not a number or an array of numbers", started,
                           calls=calls)
        mutated = changed_arguments(inputs, after.get("args") or [])
        if mutated:
            outcome.mistake = "mutates_input"  # the key the grade cells name it by
            return _finish(outcome, "failed", mutation_message(name, mutated), started,
                           calls=calls)
        for part in ("shape", "values"):
            try:
                compare_result(exercise, inputs, result, part=part, hidden=True)
            except CheckFailed as failed:
                outcome.mistake = failed.mistake
                return _finish(outcome, "failed", str(failed), started, part == "values",
                               calls=calls)
            except Exception as error:  # a result no check can read is a wrong result
                return _finish(outcome, "failed", f"the result of `{name}` could not be "
                                                  f"compared ({type(error).__name__})", started,
                               part == "values", calls=calls)
    return _finish(outcome, "passed", "", started, calls=calls)


def _unsupported(value, depth=0):
    """The first value the sandbox could not carry (an object posing as a number), if any."""
    if isinstance(value, Unsupported):
        return value
    if depth < 32 and isinstance(value, (list, tuple)):
        items = value
    elif depth < 32 and isinstance(value, dict):
        items = value.values()
    else:
        return None
    for item in items:
        found = _unsupported(item, depth + 1)
        if found is not None:
            return found
    return None


def _finish(outcome, status, message, started, shape_ok=False, calls=None):
    outcome.status = status
    outcome.calls = list(calls.names) if calls is not None else []
    outcome.shape_ok = status == "passed" or shape_ok
    outcome.message = message
    outcome.seconds = round(time.monotonic() - started, 3)
    return outcome


# ---- what to flag for a human ------------------------------------------------------------------

_SUSPICIOUS = [
    (r"autograder\s*\.\s*(reference|exercises|pipeline|integrity|mistakes)\b|"
     r"from\s+autograder\s+import\s+[^\n]*\b(reference|exercises|mistakes)\b",
     "imports the grader's reference or exercise registry"),
    (r"course/source|solutions/|gradebook|submitted/|autograded/|feedback/|\.db\b",
     "names course, solution, gradebook or submission files"),
    (r"get_ipython|input_transformers|set_custom_exc|showtraceback|post_run_cell|"
     r"pre_run_cell|events\.register|ast_transformers",
     "uses IPython hooks"),
    (r"excepthook|settrace|setprofile|sys\.modules|__builtins__|\bbuiltins\b|_getframe|"
     r"gc\.get_objects|\bctypes\b|\bimportlib\b|__import__",
     "reaches into the interpreter (hooks, builtins, modules, frames)"),
    (r"^\s*(np|numpy|math|scipy|autograder|checks|builtins)(\.\w+)+\s*=(?!=)",
     "assigns to an attribute of a module (monkeypatching)"),
    (r"^\s*(check_exercise|check_value|assert_allclose|CheckFailed)\s*=(?!=)|"
     r"def\s+(check_exercise|check_value)\b",
     "replaces a name the grade cells use"),
    (r"sys\.exit|os\._exit|\bos\.kill|killpg|os\.abort|signal\.|\bexit\(|\bquit\(",
     "ends or signals processes"),
    (r"os\.fork|subprocess|os\.system|os\.popen|os\.exec|os\.spawn|multiprocessing|"
     r"setsid|\bthreading\b",
     "starts processes or threads"),
    (r"NBGRADER|os\.environ|getenv", "looks at environment variables (NBGRADER_EXECUTION?)"),
    # the reference's compiled code can be printed from a grading kernel (its source is not
    # there: autograder.sandbox.lesson_scope) and pasted back as data
    (r"(?<![\w.])(marshal|pickle|dill|cloudpickle|zlib|lzma|bz2|base64|codecs)\b|__code__|"
     r"\bco_(code|consts|names|varnames)\b|\b(CodeType|FunctionType)\b|\bfromhex\b|"
     r"(?<![\w.])(exec|eval|compile)\s*\(|getattr\([^)\n]*['\"]_",
     "builds code from data (marshal, pickle, code objects, exec, encoded text)"),
    (r"os\.write\(|os\.dup2?\(|/proc/self/fd|os\.fdopen|os\.pipe\(",
     "writes to raw file descriptors (the grader's channel?)"),
    (r"def\s+__(eq|ne|bool|array|array_ufunc|array_function|float|int|index|len|"
     r"getattribute|class_getitem)__|\(\s*(np\.)?ndarray\s*\)|\(\s*float\s*\)\s*:",
     "defines a class that overrides comparisons or conversions"),
    (r"open\([^\n]*['\"][wax]b?\+?['\"]|\.write_(text|bytes)\(|shutil\.|os\.(remove|unlink|"
     r"rename|replace|chmod|symlink|makedirs|mkdir)|\.unlink\(|rmtree",
     "writes, moves or deletes files"),
]


#: The course's numerical differentiators, named anywhere in an answer (a call, an alias, a
#: string for exec): a tool for checking a gradient, not for computing one in an answer.
_DIFFERENTIATOR = re.compile(r"\b(numerical_gradient|gradient_check|relative_error)\b")
#: Complex arithmetic in an answer: the complex-step derivative f'(x) = Im f(x + ih) / h is
#: exact to rounding and passes every check without any backpropagation (red team round 5).
_COMPLEX = re.compile(r"(?<![\w.])\d+(\.\d*)?(e[-+]?\d+)?j\b|\.imag\b|\bcomplex\s*\(|"
                      r"\bcomplex(64|128)\b|\bnp\.(complex|imag)\b")
#: A hand-written difference quotient: a small step (1e-4 and below, or 10**-k) and a division
#: by twice something or by a step's name.
_SMALL_STEP = re.compile(r"\b\d+(\.\d*)?e-(0?[4-9]|1[0-9])\b|10\s*\*\*\s*-\s*\d")
_QUOTIENT = re.compile(r"/\s*\(?\s*2(\.0*)?\s*\*|/\s*(eps|epsilon|h|delta|step|dx)\b")
#: The package named in an answer's text at all (an import inside exec("..."), importlib, a
#: string): a lesson's answers never need it, the lesson imports what it gives.
_PACKAGE_NAMED = re.compile(r"\bautograder\b")


def course_imports(source):
    """What a cell imports from the course package, and how often its imports name it.

    Returns
    -------
    names : set of str
        ``{"autograder.losses.bce_with_logits", "autograder.gradcheck", ...}`` (a module
        imported whole is its dotted name).
    mentions : int
        How many times the import statements spell ``autograder`` (``from autograder.x import
        y``: once; ``import autograder.x, autograder.y``: twice). More mentions in the text than
        this are imports the parser cannot see (``exec("...")``, a string for importlib).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set(), 0
    names, mentions = set(), 0
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "autograder":
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
            mentions += 1
        elif isinstance(node, ast.Import):
            found = {alias.name for alias in node.names
                     if alias.name.split(".")[0] == "autograder"}
            names |= found
            mentions += len(found)
    return names, mentions


def _helper_flags(extraction):
    """Answers built from the course's own helpers: an import from ``autograder`` that the
    lesson's cells do not make (``autograder.losses.bce_with_logits_grad`` IS lesson 3's
    ``logistic_dJdz``), and a numerical differentiator called in an answer. Both pass the
    confirmation (the helpers are public); a human decides whether the work is the student's."""
    given = set()
    for cell in extraction.cells:
        if cell.origin == "lesson":
            given |= course_imports(cell.source)[0]
    flags = []
    for cell in extraction.cells:
        if cell.origin == "lesson":
            continue
        code = cell.raw or cell.source
        # cell.source is plain Python (magics transformed): a `%matplotlib inline` first line
        # must not hide the imports below it from the parser (red team, round 4)
        names, mentions = course_imports(cell.source)
        extra = sorted(name for name in names | course_imports(code)[0]
                       if name not in given and not any(name.startswith(g + ".") for g in given))
        found = []
        if extra:
            found.append(f"imports course helpers the lesson does not give ({', '.join(extra)}):"
                         " is the answer the student's own work?")
        elif cell.origin == "answer" and \
                len(_PACKAGE_NAMED.findall(code)) > mentions:
            found.append("names the course's package in an answer (an import by exec or "
                         "importlib?): is the answer the student's own work?")
        if cell.origin == "answer" and _DIFFERENTIATOR.search(code):
            found.append("uses the course's numerical differentiator in an answer (a gradient "
                         "computed, not derived)")
        if cell.origin == "answer" and _COMPLEX.search(code):
            found.append("computes with complex numbers in an answer (a complex-step "
                         "derivative: a gradient computed, not derived?)")
        if cell.origin == "answer" and _SMALL_STEP.search(code) and _QUOTIENT.search(code):
            found.append("divides a difference by a small step in an answer (a numerical "
                         "derivative: a gradient computed, not derived?)")
        if found:
            flags.append(f"cell {cell.name} {'; '.join(found)}")
    return flags


def _flags(extraction, sandboxes, outcomes):
    flags = _helper_flags(extraction)
    for cell in extraction.cells:
        if cell.origin == "lesson":
            continue
        found = [reason for pattern, reason in _SUSPICIOUS
                 if re.search(pattern, cell.raw or cell.source, flags=re.MULTILINE)]
        if found:
            flags.append(f"cell {cell.name} {'; '.join(dict.fromkeys(found))}")
    flags += [f"cell {label} is longer than the grader reads ({MAX_CELL_CHARS:,} characters): "
              "not run out of kernel" for label in extraction.too_long_cells]
    flags += sandboxes.events
    for record in sandboxes.records:
        if record.origin != "lesson" and record.status in ("timeout",):
            flags.append(f"cell <{record.origin} {record.label}> ran past its time limit")
    for outcome in outcomes:
        if outcome.status in ("crashed", "timed_out"):
            flags.append(f"{outcome.function}: {outcome.status} out of kernel "
                         f"({outcome.message[:200]})")
    return list(dict.fromkeys(flags))


# ---- the entry point ---------------------------------------------------------------------------

def verify_submission(notebook_path, lesson, seeds=None, *, secret=None, cases=DEFAULT_CASES,
                      course_dir=COURSE, policy=None, hidden=(), cell_timeout=CELL_TIMEOUT,
                      call_timeout=CALL_TIMEOUT, total_timeout=TOTAL_TIMEOUT,
                      max_sessions=MAX_SESSIONS):
    """Verify every autograded exercise of a submission outside its grading kernel.

    Parameters
    ----------
    notebook_path : path-like
        The submitted notebook; only read.
    lesson : str
        Lesson id (``"01_single_neuron"``).
    seeds : sequence of int, optional
        Input seeds to use for every exercise (tests); by default ``cases`` seeds per exercise
        derived from ``secret``. Seeds the lesson's grade cells use are refused.
    secret : str, optional
        Defaults to ``$AUTOGRADER_VERIFY_SECRET``, else a random secret per grading process.
    cases : int
        Fresh inputs per exercise.
    course_dir : path-like
        nbgrader course folder with ``source/<lesson>/<lesson>.py``.
    policy : autograder.sandbox.policy.Policy, optional
        The run's sandbox policy; :func:`autograder.sandbox.policy.from_options` by default.
    hidden : sequence of path-like
        Folders to hide inside the sandbox even when a mounted folder contains them (the
        pipeline's output and course folders; the repository is always hidden).
    cell_timeout, call_timeout, total_timeout : float
        Seconds per cell, per call, and for the whole verification.
    max_sessions : int
        Sandboxes started at most (restarts after a cell or call ended one).

    Returns
    -------
    VerificationResult
    """
    started = time.monotonic()
    deadline = started + total_timeout
    policy = policy or from_options()
    result = VerificationResult(str(notebook_path), lesson, policy.describe())
    grade_cells, used_seeds = _grade_cells(lesson, course_dir)
    exercises = [e for e in registry.all_exercises() if e.lesson == lesson]
    checks_by_exercise = {}
    for _, _, kind, checks in grade_cells:
        for check in checks:
            checks_by_exercise.setdefault(check.exercise_id, check)
    if seeds is not None:
        seeds = [int(s) for s in seeds]
        clash = sorted(set(seeds) & used_seeds)
        if clash:
            raise ValueError(f"seeds {clash} are used by the lesson's grade cells; the verifier "
                             "needs fresh ones")
    secret = secret or os.environ.get("AUTOGRADER_VERIFY_SECRET") or _PROCESS_SECRET

    sandboxes = _Sandboxes(policy, deadline, hidden, cell_timeout, max_sessions)
    outcomes = []
    try:
        if SPEEDUPS.early_start:
            sandboxes.launch_early()
        try:
            extraction = extract_code(notebook_path, lesson, course_dir)
        except (UnreadableNotebook, OSError) as error:
            result.error = f"the notebook could not be read ({error})"
            _map_grade_cells(result, grade_cells)
            result.seconds = round(time.monotonic() - started, 3)
            return result
        sandboxes.set_cells(extraction.cells, _plan(extraction.cells, exercises,
                                                    checks_by_exercise))
        for exercise in exercises:
            check = checks_by_exercise.get(exercise.id) or _Check(exercise.id, "values",
                                                                   exercise.function)
            if check.problem:
                outcome = ExerciseOutcome(exercise.id, exercise.function, "not_verifiable",
                                          message=check.problem)
            else:
                exercise_seeds = seeds or derive_seeds(secret, exercise.id, cases, used_seeds)
                outcome = _verify_exercise(sandboxes, exercise, check, exercise_seeds,
                                           deadline, call_timeout)
            outcomes.append(outcome)
            result.exercises[exercise.id] = outcome
        _note_upstream(result.exercises, exercises)
    finally:
        sandboxes.close()
    if sandboxes.start_error:
        result.error = sandboxes.start_error
    result.cells = sandboxes.records
    result.sessions = sandboxes.started
    result.flags = _flags(extraction, sandboxes, outcomes)
    _map_grade_cells(result, grade_cells)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def _note_upstream(outcomes, exercises):
    """Add to a failed exercise's message the one line naming the student's own earlier
    functions it called that failed their own verification (as the grade cells do)."""
    by_function = {e.function: outcomes.get(e.id) for e in exercises}
    for outcome in outcomes.values():
        failing = [n for n in outcome.calls
                   if by_function.get(n) is not None and by_function[n].status != "passed"]
        if failing and outcome.status != "passed":
            names = " and ".join(f"`{n}`" for n in failing)
            which = "which fails its own test" if len(failing) == 1 \
                else "which fail their own tests"
            outcome.message += f"\nThis also calls your {names}, {which}: fix that first."


def _plan(cells, exercises, checks_by_exercise):
    """What of each cell runs: only the lesson code the submission can reach, or everything."""
    if not SPEEDUPS.needed_code_only:
        return [CellPlan(cell.source) for cell in cells]
    functions = {e.function for e in exercises}
    functions |= {c.function for c in checks_by_exercise.values() if c.function}
    return plan_cells(cells, functions)


def _map_grade_cells(result, grade_cells):
    for grade_id, points, kind, checks in grade_cells:
        if kind == "written":
            result.grade_cells[grade_id] = GradeCellOutcome(
                grade_id, points, "written", verified=None,
                reason="a written answer: graded by hand, not verifiable out of kernel")
            continue
        if not checks:
            result.grade_cells[grade_id] = GradeCellOutcome(
                grade_id, points, "unverifiable", verified=None,
                reason="the grade cell checks no registered exercise: not verifiable out of "
                       "kernel")
            continue
        pairs = [(c.exercise_id, c.part) for c in checks]
        outcomes = [result.exercises.get(c.exercise_id) for c in checks]
        if result.error or any(o is None or o.status == "not_verifiable" for o in outcomes):
            reasons = [o.message for o in outcomes if o is not None and o.message]
            reason = result.error or "; ".join(reasons) or "an exercise is not registered"
            result.grade_cells[grade_id] = GradeCellOutcome(
                grade_id, points, "unverifiable", pairs, None,
                f"not verifiable out of kernel: {reason}")
            continue
        failing = [(o, part) for o, (_, part) in zip(outcomes, pairs) if not o.confirms(part)]
        # a grade cell that checks one exercise twice (two seeds) names its failure once
        reason = "; ".join(dict.fromkeys(
            f"{o.function}: {o.status}" + (f" ({o.message.splitlines()[0]})" if o.message else "")
            for o, _ in failing))
        result.grade_cells[grade_id] = GradeCellOutcome(
            grade_id, points, "autograded", pairs, not failing,
            reason or "confirmed on fresh inputs")
