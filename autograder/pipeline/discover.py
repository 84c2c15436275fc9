"""Find the submissions to grade: who submitted which lesson, from which file.

Accepted layouts (``python -m autograder grade --help`` prints this list):

1. nbgrader's ``submitted/<student>/<lesson>/<lesson>.ipynb`` (an optional ``timestamp.txt``
   next to the notebook, as ``nbgrader collect`` writes it, makes late submissions visible);
2. a folder, or a ``.zip`` file, of notebooks as a learning-management system exports them, the
   lesson id (``01_single_neuron``...) somewhere in the file or folder name:
   ``<student>_<lesson>.ipynb``, ``<lesson>_<student>.ipynb``, ``<student>-<lesson>.ipynb``,
   ``<lesson>/<student>.ipynb`` or ``<student>/<lesson>.ipynb``. The student id is what is left
   of the name once the lesson id and the separators around it are taken out.

Files whose name holds no lesson id are listed as unmatched and not graded. Two files for the same
student and lesson are an error: the instructor decides which one counts.
"""
from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: Characters kept in a student id; anything else becomes "_" (nbgrader puts ids in paths and
#: globs, so "/", "*", "?" and "[" must not appear).
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]+")
_SEPARATORS = "_-. "
#: " (1)" that a browser appends to a second download of the same file.
_COPY_MARK = re.compile(r"\s*\(\d+\)$")


class SubmissionError(ValueError):
    """The submissions cannot be graded as given; the message says what to change."""


@dataclass
class Submission:
    """One student's notebook for one lesson.

    Attributes
    ----------
    student, lesson : str
    path : str
        The notebook file, or the zip archive that holds it.
    member : str or None
        The notebook's name inside the zip archive.
    timestamp : str or None
        The contents of nbgrader's ``timestamp.txt``, when there is one.

    The original file is only ever opened for reading.
    """

    student: str
    lesson: str
    path: str
    member: str | None = None
    timestamp: str | None = None

    @property
    def key(self):
        return (self.student, self.lesson)

    @property
    def origin(self):
        """Where it came from, for messages."""
        return f"{self.path}:{self.member}" if self.member else self.path

    def read_bytes(self):
        if self.member is None:
            return Path(self.path).read_bytes()
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(self.member)

    def fingerprint(self):
        """sha256 of the notebook's bytes and its timestamp: what makes a regrade necessary."""
        digest = hashlib.sha256(self.read_bytes())
        digest.update(b"\0" + (self.timestamp or "").encode())
        return digest.hexdigest()


@dataclass
class Discovery:
    submissions: list
    unmatched: list          # origins of notebooks that name no known lesson
    layout: str              # "nbgrader", "folder" or "zip"


def _lesson_in(name, lessons):
    """The lesson id contained in ``name`` (the longest, if several), or None."""
    found = [lesson for lesson in lessons if lesson in name]
    return max(found, key=len) if found else None


def student_id_from_name(stem, lesson):
    """What remains of a file name once the lesson id and its separators are taken out."""
    left, _, right = _COPY_MARK.sub("", stem).partition(lesson)
    rest = f"{left.rstrip(_SEPARATORS)}_{right.lstrip(_SEPARATORS)}".strip(_SEPARATORS + "_")
    return safe_student_id(rest)


def safe_student_id(name):
    """``name`` with every run of unsafe characters replaced by one "_"."""
    return re.sub("_+", "_", _UNSAFE.sub("_", name)).strip("_")


def _attribute(parts, lessons):
    """(student, lesson) of a notebook at relative path ``parts``, or None."""
    stem = PurePosixPath(parts[-1]).stem
    folders = list(parts[:-1])
    # nbgrader: <student>/<lesson>/<lesson>.ipynb
    if len(folders) >= 2 and folders[-1] == stem and stem in lessons:
        return safe_student_id(folders[-2]), stem
    lesson = _lesson_in(stem, lessons)
    if lesson:
        student = student_id_from_name(stem, lesson)
        if student:
            return student, lesson
        # <student>/<lesson>.ipynb
        if folders:
            return safe_student_id(folders[-1]), lesson
        return None
    # <lesson>/<student>.ipynb
    for folder in reversed(folders):
        lesson = _lesson_in(folder, lessons)
        if lesson:
            return safe_student_id(stem), lesson
    return None


def _is_notebook(parts):
    return parts[-1].endswith(".ipynb") and ".ipynb_checkpoints" not in parts and \
        not any(part.startswith((".", "__MACOSX")) for part in parts)


def discover(source, lessons):
    """Every submission in ``source`` (a folder or a zip file) for the given lessons.

    Raises
    ------
    SubmissionError
        When ``source`` does not exist, holds no notebook, or holds two notebooks for the same
        student and lesson.
    """
    source = Path(source)
    if not source.exists():
        raise SubmissionError(f"{source} does not exist. Give nbgrader's submitted/ folder, a "
                              "folder of <student>_<lesson>.ipynb files, or a .zip of them.")
    entries = []                                   # (parts, path, member, timestamp)
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise SubmissionError(f"{source} is a file but not a zip archive. Give a folder or "
                                  "a .zip of notebooks.")
        layout = "zip"
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            for name in sorted(names):
                parts = PurePosixPath(name).parts
                if name.endswith("/") or not parts or not _is_notebook(parts):
                    continue
                stamp_name = str(PurePosixPath(name).with_name("timestamp.txt"))
                stamp = archive.read(stamp_name).decode(errors="replace").strip() \
                    if stamp_name in names else None
                entries.append((parts, str(source), name, stamp))
    else:
        layout = "folder"
        for path in sorted(source.rglob("*.ipynb")):
            parts = path.relative_to(source).parts
            if not _is_notebook(parts) or not path.is_file():
                continue
            stamp_path = path.with_name("timestamp.txt")
            stamp = stamp_path.read_text(errors="replace").strip() if stamp_path.is_file() \
                else None
            entries.append((parts, str(path), None, stamp))
    if not entries:
        raise SubmissionError(f"No notebook (.ipynb) found in {source}.")
    found, unmatched, nbgrader_like = {}, [], 0
    duplicates = {}
    for parts, path, member, stamp in entries:
        origin = f"{path}:{member}" if member else path
        who = _attribute(parts, lessons)
        if who is None:
            unmatched.append(origin)
            continue
        nbgrader_like += len(parts) == 3 and parts[1] == PurePosixPath(parts[2]).stem
        if who in found:
            duplicates.setdefault(who, [found[who].origin]).append(origin)
            continue
        found[who] = Submission(student=who[0], lesson=who[1], path=path, member=member,
                                timestamp=stamp)
    if duplicates:
        listing = "\n".join(f"  {student} {lesson}: {', '.join(origins)}"
                            for (student, lesson), origins in sorted(duplicates.items()))
        raise SubmissionError("More than one notebook for the same student and lesson; keep "
                              f"the one that counts and grade again:\n{listing}")
    if layout == "folder" and nbgrader_like and nbgrader_like == len(found):
        layout = "nbgrader"
    submissions = sorted(found.values(), key=lambda s: (s.student, s.lesson))
    return Discovery(submissions=submissions, unmatched=unmatched, layout=layout)
