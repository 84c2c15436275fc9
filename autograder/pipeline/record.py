"""What grading one submission found: one typed record, one writer, one reader.

A worker (:mod:`autograder.pipeline.worker`) builds a :class:`SubmissionRecord` for every
submission it grades and sends it to the parent, which journals it
(:func:`write_journal`), so an interrupted run resumes where it stopped. The run's outputs
(``scores.csv``, the report, the LMS files, Gradescope's ``results.json``, the terminal of
``check``) all read these records; nothing else describes a graded submission.

The journal is JSON: :meth:`SubmissionRecord.to_json` writes it and
:meth:`SubmissionRecord.from_json` reads it back, refusing a record of another
:data:`RECORD_VERSION` (a resumed run then grades that submission again).
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

#: Bumped whenever a field changes meaning: an older journal is graded again, never misread.
RECORD_VERSION = 2

#: ``ScoreRow.kind`` of a code grade cell (autograded) and of a written answer (by hand).
AUTO, MANUAL = "auto", "manual"


@dataclass
class ScoreRow:
    """One grade cell of one submission: its score, and why."""

    grade_id: str
    score: float
    max_score: float
    #: A word of :class:`autograder.pipeline.status.Status` (``passed``, ``failed``, ...).
    status: str
    #: :data:`AUTO` or :data:`MANUAL`.
    kind: str
    #: ``tampered`` (the student edited the test), ``missing`` (deleted it).
    flags: list[str] = field(default_factory=list)
    #: The first line of the test's message, for the terminal and the report.
    message: str = ""

    @property
    def is_auto(self) -> bool:
        return self.kind == AUTO


@dataclass
class NamedMistake:
    """A registered mistake that a failing test named (:mod:`autograder.mistakes`)."""

    grade_id: str
    key: str
    message: str


@dataclass
class VerificationSummary:
    """What the out-of-kernel confirmation said of a submission
    (:func:`autograder.pipeline.confirm.verification_summary`)."""

    #: How the verifier was sandboxed; "" when it did not run.
    sandbox: str = ""
    seconds: float = 0.0
    #: Why the verification did not run or finish, or "".
    error: str = ""
    #: ``{exercise id: verdict}``.
    exercises: dict[str, str] = field(default_factory=dict)
    #: ``{grade_id: reason}``: cells the verifier cannot check (written answers, ...).
    unverified: dict[str, str] = field(default_factory=dict)
    #: ``{grade_id: reason}``: cells it should have checked and could not (0 points).
    unconfirmed: dict[str, str] = field(default_factory=dict)


@dataclass
class SubmissionRecord:
    """One submission, graded (or not: see :attr:`outcome`)."""

    student: str
    lesson: str
    #: Where the file came from (a path, or an archive and its member).
    origin: str = ""
    #: The submitted bytes' fingerprint: a resumed run trusts a record only for the same bytes.
    fingerprint: str = ""
    #: ``graded``, ``error``, ``malformed`` or ``too large`` (:class:`~.status.Status`).
    outcome: str = ""
    #: One per grade cell of the instructor's version, in the notebook's order.
    rows: list[ScoreRow] = field(default_factory=list)
    #: ``late``, ``flagged``: shown with every row's status in ``scores.csv``.
    flags: list[str] = field(default_factory=list)
    #: For the student: shown on the feedback page and by ``check``.
    notes: list[str] = field(default_factory=list)
    #: For the instructor: why this submission needs a human look (the report).
    review: list[str] = field(default_factory=list)
    misconceptions: list[NamedMistake] = field(default_factory=list)
    late_seconds: float = 0.0
    #: The LMS marked the file late (Canvas's ``LATE_``).
    lms_late: bool = False
    #: How the kernel was sandboxed.
    sandbox: str = ""
    #: The feedback page, relative to the output folder; "" when none was written.
    feedback: str = ""
    #: The end of the log of a failed autograde, or "".
    error: str = ""
    #: The full log of a failed submission, relative to the output folder, or "".
    log: str = ""
    #: None when the submission was not confirmed out of kernel (``--no-verify``, not graded).
    verification: VerificationSummary | None = None
    seconds: float = 0.0
    autograde_seconds: float = 0.0
    verify_seconds: float = 0.0
    feedback_seconds: float = 0.0
    version: int = RECORD_VERSION

    @property
    def key(self) -> tuple[str, str]:
        return self.student, self.lesson

    @property
    def graded(self) -> bool:
        return self.outcome == "graded"

    def auto_rows(self) -> list[ScoreRow]:
        """The rows of code grade cells."""
        return [row for row in self.rows if row.is_auto]

    def flag(self, name: str) -> None:
        """Add a flag once."""
        if name not in self.flags:
            self.flags.append(name)

    # ---- the one writer and the one reader ------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SubmissionRecord | None:
        """The record ``text`` holds, or None when it is not one of this version."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
            return None
        try:
            return cls.from_dict(data)
        except (TypeError, KeyError, ValueError):
            return None

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionRecord:
        known = {f.name for f in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        values["rows"] = [ScoreRow(**row) for row in data.get("rows", [])]
        values["misconceptions"] = [NamedMistake(**m) for m in data.get("misconceptions", [])]
        if data.get("verification") is not None:
            values["verification"] = VerificationSummary(**data["verification"])
        return cls(**values)


@dataclass
class WorkerCrash:
    """A worker's reply when grading raised, or the pool's when the worker died or overran:
    the parent turns it into a record of outcome ``error``."""

    reason: str


# ---- the journal: one file per finished submission ------------------------------------------

def journal_path(root, student, lesson) -> Path:
    from .course import STATE

    return Path(root) / STATE / "journal" / student / f"{lesson}.json"


def write_journal(root, record: SubmissionRecord) -> None:
    """Write a finished record atomically: a resumed run trusts only complete files."""
    path = journal_path(root, record.student, record.lesson)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(record.to_json())
    os.replace(partial, path)


def read_journal(root, student, lesson) -> SubmissionRecord | None:
    """The journaled record of a submission, or None (none, unreadable, another version)."""
    try:
        text = journal_path(root, student, lesson).read_text()
    except OSError:
        return None
    return SubmissionRecord.from_json(text)
