"""Find the submissions to grade: who submitted which lesson, from which file.

Accepted layouts (``python -m autograder grade --help`` prints this list):

1. nbgrader's ``submitted/<student>/<lesson>/<lesson>.ipynb`` (an optional ``timestamp.txt``
   next to the notebook, as ``nbgrader collect`` writes it, makes late submissions visible);
2. a learning-management system's download, as a folder or a ``.zip`` (Canvas, Moodle,
   Blackboard, a Gradescope export: :mod:`~autograder.pipeline.lms` reads their names): the
   student id is the LMS's own, a resubmission replaces the earlier file (the report lists what
   was replaced), and Canvas's late mark flags the submission as late;
3. any other folder or ``.zip`` of notebooks, the lesson id (``01_single_neuron``...) somewhere
   in the file or folder name: ``<student>_<lesson>.ipynb``, ``<lesson>_<student>.ipynb``,
   ``<student>-<lesson>.ipynb``, ``<lesson>/<student>.ipynb`` or ``<student>/<lesson>.ipynb``.
   The student id is what is left of the name once the lesson id and the separators around it
   are taken out.

Files whose name holds no lesson id are listed as unmatched and not graded; symbolic links,
hidden files and zip entries that point outside the archive are listed as skipped, with the
reason, and never read. Two files for the same student and lesson (outside an LMS layout, which
says which is newer) are an error: the instructor decides which one counts.

Sizes are capped, and read with bounded memory: a notebook over :data:`MAX_NOTEBOOK_BYTES`
(``--max-notebook-mib``) is not read, and neither are the notebooks of a zip beyond
:data:`MAX_ARCHIVE_BYTES` uncompressed in all (``--max-archive-mib``); each such submission is
recorded as ``too large`` with the reason, and the rest of the class is graded. A zip member's
declared size is checked first and its stream is then read with the same limit (the header may
lie).

Student ids keep every letter of every script (``Zoë``, ``Müller``, ``李雷``; NFC-normalised),
and become ``_`` only where a character would be unsafe in nbgrader's paths and globs. Two
different names that would still give one id get a short, stable suffix made from each name,
so no two students share an id; ``students.csv`` in the output maps every id back to the name
it came from.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import lms

#: Characters kept in a student id: letters and digits of any script and ``._@+-``; anything
#: else becomes "_" (nbgrader puts ids in paths and globs, so "/", "*", "?" and "[" must not
#: appear).
_UNSAFE = re.compile(r"[^\w.@+-]+")
_SEPARATORS = "_-. "
#: " (1)" that a browser appends to a second download of the same file, and "-Copy1" that
#: JupyterLab's Duplicate gives a copy: not part of a student id.
_COPY_MARK = re.compile(r"(\s*\(\d+\)|-Copy\d*)$")


#: The largest notebook file read (64 MiB). A lesson notebook with its plots is about 1 MiB;
#: a notebook over the cap is recorded as ``too large`` (``--max-notebook-mib`` changes it).
from ..notebook import MAX_NOTEBOOK_BYTES  # noqa: E402 (the reader's cap)
#: The most a zip's notebooks may hold uncompressed, in all (4 GiB; ``--max-archive-mib``):
#: the run copies each into its private course.
MAX_ARCHIVE_BYTES = 4 * 2 ** 30
#: The largest small file read next to a notebook (``timestamp.txt``, an LMS's metadata).
MAX_SIDE_FILE_BYTES = 2 ** 20
_CHUNK = 2 ** 20


class SubmissionError(ValueError):
    """The submissions cannot be graded as given; the message says what to change."""


class TooLarge(ValueError):
    """A file is over its size cap; the message says which cap and how to change it."""


def _mib(size):
    return f"{size / 2 ** 20:.0f} MiB" if size >= 2 ** 20 else f"{size} bytes"


def read_limited(stream, limit, what):
    """At most ``limit`` bytes from ``stream``, read in chunks (memory stays under the cap).

    Raises
    ------
    TooLarge
        When the stream holds more than ``limit`` bytes.
    """
    chunks, total = [], 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise TooLarge(f"{what} is larger than the {_mib(limit)} cap")
        chunks.append(chunk)


def _too_large_message(size, limit):
    return (f"the notebook is {_mib(size)}, over the {_mib(limit)} cap on a submitted notebook "
            "(a notebook with its plots is about 1 MiB; large outputs are the usual cause)")


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
    #: The name the student id was made from (a file or folder name, or the LMS's user id).
    original: str = ""
    #: The student's name as the LMS wrote it, or "".
    display_name: str = ""
    #: The LMS marked this file late (Canvas's ``LATE_``), whatever the due dates say.
    late_mark: bool = False
    #: The LMS layout the name was read in ("canvas", ...), or "".
    lms: str = ""
    #: The size cap of this notebook, in bytes.
    max_bytes: int = MAX_NOTEBOOK_BYTES
    #: Why it is refused without being read (the zip's total cap), or "".
    refused: str = ""

    @property
    def key(self):
        return (self.student, self.lesson)

    @property
    def origin(self):
        """Where it came from, for messages."""
        return f"{self.path}:{self.member}" if self.member else self.path

    def read_bytes(self):
        """The notebook's bytes, never more than :attr:`max_bytes` of them in memory.

        Raises
        ------
        TooLarge
        """
        if self.refused:
            raise TooLarge(self.refused)
        if self.member is None:
            with open(self.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > self.max_bytes:
                    raise TooLarge(_too_large_message(size, self.max_bytes))
                return read_limited(handle, self.max_bytes, "the notebook")
        with zipfile.ZipFile(self.path) as archive:
            info = archive.getinfo(self.member)
            if info.file_size > self.max_bytes:
                raise TooLarge(_too_large_message(info.file_size, self.max_bytes))
            with archive.open(info) as handle:     # the header may lie: read with the cap
                return read_limited(handle, self.max_bytes, "the notebook, uncompressed,")

    def fingerprint(self):
        """sha256 of the notebook's bytes and its timestamp: what makes a regrade necessary
        (for a file over its cap: of the reason, so that a new cap grades it again)."""
        try:
            digest = hashlib.sha256(self.read_bytes())
        except TooLarge as error:
            digest = hashlib.sha256(f"too large: {error}".encode())
        digest.update(b"\0" + (self.timestamp or "").encode())
        return digest.hexdigest()


@dataclass
class Discovery:
    submissions: list
    unmatched: list          # origins of notebooks that name no known lesson
    layout: str              # "nbgrader", "folder", "zip", or "canvas (zip)"...
    #: (origin, reason) of what was not read at all: links, hidden files, unsafe zip names.
    skipped: list = field(default_factory=list)
    #: (origin, the origin that replaced it) of earlier LMS resubmissions.
    superseded: list = field(default_factory=list)


def _lesson_in(name, lessons):
    """The lesson id contained in ``name`` (the longest, if several), or None."""
    found = [lesson for lesson in lessons if lesson in name]
    return max(found, key=len) if found else None


def _student_part(stem, lesson):
    """What remains of a file name once the lesson id and its separators are taken out."""
    left, _, right = _COPY_MARK.sub("", stem).partition(lesson)
    return f"{left.rstrip(_SEPARATORS)}_{right.lstrip(_SEPARATORS)}".strip(_SEPARATORS + "_")


def student_id_from_name(stem, lesson):
    """The student id a file name gives (see :func:`_student_part`)."""
    return safe_student_id(_student_part(stem, lesson))


def safe_student_id(name):
    """``name``, NFC-normalised, with every run of unsafe characters replaced by one "_".

    Letters of every script are kept. Leading dots are dropped (an id is a folder name, and a
    dot-folder is hidden).
    """
    name = unicodedata.normalize("NFC", name)
    return re.sub("_+", "_", _UNSAFE.sub("_", name)).strip("_").lstrip(".").strip("_")


def _name_suffix(original):
    """Six hex digits that depend on ``original`` only: the same on every run."""
    return hashlib.sha256(unicodedata.normalize("NFC", original).encode()).hexdigest()[:6]


def unique_ids(originals):
    """original name -> student id, one id per distinct name.

    The id is :func:`safe_student_id` of the name; where two names give the same id (or an
    empty one), each gets ``-`` and a stable suffix of its own name.
    """
    by_id = {}
    for original in sorted(set(originals)):
        by_id.setdefault(safe_student_id(original), []).append(original)
    result = {}
    for candidate, names in by_id.items():
        for original in names:
            if candidate and len(names) == 1:
                result[original] = candidate
            else:
                result[original] = f"{candidate or 'student'}-{_name_suffix(original)}"
    return result


def _lesson_folder(parts, lessons):
    """The index of the first folder of ``parts`` named after a lesson, with a student's folder
    above it (nbgrader's ``<student>/<lesson>/...``), or None. The FIRST one: a student may
    put folders of their own inside theirs (``eve/01_single_neuron/ada/01_single_neuron/``),
    and those are still eve's."""
    for index in range(1, len(parts) - 1):
        if parts[index] in lessons:
            return index
    return None


def _attribute(parts, lessons):
    """(student, lesson) of a notebook at relative path ``parts``, or None."""
    stem = PurePosixPath(parts[-1]).stem
    folders = list(parts[:-1])
    # nbgrader: <student>/<lesson>/<lesson>.ipynb; the folders say whose it is, whatever the
    # file is called (discover() keeps one notebook per such folder, see _nbgrader_folders)
    index = _lesson_folder(parts, lessons)
    if index is not None:
        return parts[index - 1], parts[index]
    lesson = _lesson_in(stem, lessons)
    if lesson:
        student = _student_part(stem, lesson)
        if safe_student_id(student):
            return student, lesson
        # <student>/<lesson>.ipynb
        if folders:
            return folders[-1], lesson
        return None
    # <lesson>/<student>.ipynb
    for folder in reversed(folders):
        lesson = _lesson_in(folder, lessons)
        if lesson:
            return stem, lesson
    return None


def _nbgrader_folders(entries, lessons, skipped):
    """The entries, with at most one notebook per nbgrader ``<student>/<lesson>/`` folder.

    nbgrader's submit and collect copy every file of the assignment folder, so such a folder may
    hold more than the lesson's notebook (a JupyterLab duplicate ``<lesson>-Copy1.ipynb``, a
    scratch notebook, a file named like another student's). The folder's ``<lesson>.ipynb`` is
    the submission and the others are listed as skipped; without it, a single notebook is
    taken; several, none of them ``<lesson>.ipynb``, are all skipped (the instructor decides).
    """
    groups = {}
    for entry in entries:
        parts = entry[0]
        index = _lesson_folder(parts, lessons)
        if index is not None:
            groups.setdefault(tuple(parts[:index + 1]), []).append(entry)
    drop = set()
    for folder, members in groups.items():
        if len(members) == 1:
            continue
        student, lesson = folder[-2], folder[-1]
        # the lesson's notebook right in the folder; anything deeper (a sub-folder of drafts,
        # a copy of another student's tree) is an extra file of this student's
        canonical = [e for e in members if len(e[0]) == len(folder) + 1
                     and e[0][-1] == f"{lesson}.ipynb"]
        for entry in members:
            if canonical and entry is canonical[0]:
                continue
            drop.add(id(entry))
            origin = f"{entry[1]}:{entry[2]}" if entry[2] else entry[1]
            skipped.append((origin, (
                f"another notebook in {student}'s {lesson} folder: only {lesson}.ipynb is "
                "graded there") if canonical else (
                f"one of several notebooks in {student}'s {lesson} folder and none is named "
                f"{lesson}.ipynb: rename the one that counts to {lesson}.ipynb")))
    return [entry for entry in entries if id(entry) not in drop]


def _is_copy(parts):
    """Does the notebook's name carry a copy mark (:data:`_COPY_MARK`)?"""
    return bool(_COPY_MARK.search(PurePosixPath(parts[-1]).stem))


def _lms_attribute(parts, layout, lessons, metadata):
    """(LmsName, lesson) of a notebook in an LMS layout, or None."""
    name = lms.parse(parts, layout, metadata)
    if name is None:
        return None
    lesson = _lesson_in(name.original, lessons) or _lesson_in("/".join(parts), lessons)
    return (name, lesson) if lesson else None


def _skip_reason(parts):
    """Why a notebook path is not read at all, or None (then it is a candidate)."""
    if any(part in ("..", "") for part in parts) or PurePosixPath(*parts).is_absolute():
        return "its name points outside the submissions (\"..\" or an absolute path)"
    if any(part.startswith(".") for part in parts) and ".ipynb_checkpoints" not in parts:
        return "a hidden file or folder (its name starts with \".\"); rename it to grade it"
    return None


def _is_candidate(parts):
    # .IPYNB or .Ipynb too: a file renamed outside Jupyter is still the student's notebook
    return parts[-1].lower().endswith(".ipynb") and ".ipynb_checkpoints" not in parts and \
        not any(part.startswith("__MACOSX") for part in parts)


def _read_member(archive, name, limit=MAX_SIDE_FILE_BYTES):
    """A small member of ``archive`` (a timestamp, an LMS's metadata), at most ``limit``."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise SubmissionError(f"{archive.filename}: {name} is {_mib(info.file_size)}; a file "
                              f"next to the notebooks may be at most {_mib(limit)}.")
    try:
        with archive.open(info) as handle:
            return read_limited(handle, limit, name)
    except TooLarge as error:
        raise SubmissionError(f"{archive.filename}: {error}.") from None


def _zip_entries(source, skipped):
    entries = []                                   # (parts, path, member, timestamp)
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        metadata_text = None
        for name in sorted(names):
            if PurePosixPath(name).name == lms.METADATA_FILE:
                metadata_text = _read_member(archive, name).decode("utf-8", errors="replace")
            parts = tuple(name.replace("\\", "/").split("/"))
            if name.endswith("/") or not parts or not _is_candidate(parts):
                continue
            info = archive.getinfo(name)
            reason = _skip_reason(parts)
            if reason is None and (info.external_attr >> 16) & 0o170000 == 0o120000:
                reason = "a symbolic link; links are not followed"
            if reason:
                skipped.append((f"{source}:{name}", reason))
                continue
            stamp_name = str(PurePosixPath(name).with_name("timestamp.txt"))
            stamp = _read_member(archive, stamp_name).decode(errors="replace").strip() \
                if stamp_name in names else None
            entries.append((parts, str(source), name, stamp))
    return entries, metadata_text


def _read_small(path, limit=MAX_SIDE_FILE_BYTES):
    try:
        with open(path, "rb") as handle:
            return read_limited(handle, limit, str(path))
    except TooLarge as error:
        raise SubmissionError(f"{error}; a file next to the notebooks may be at most "
                              f"{_mib(limit)}.") from None


def _folder_entries(source, skipped):
    entries = []
    metadata_text = None
    metadata_path = source / lms.METADATA_FILE
    if metadata_path.is_file() and not metadata_path.is_symlink():
        metadata_text = _read_small(metadata_path).decode("utf-8", errors="replace")
    for path in sorted(source.rglob("*")):
        parts = path.relative_to(source).parts
        if path.is_symlink():
            if path.suffix.lower() == ".ipynb" or path.is_dir():
                skipped.append((str(path), "a symbolic link; links are not followed (copy "
                                           "the file in if it should be graded)"))
            continue
        if not path.is_file() or not _is_candidate(parts):
            continue
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:   # os gives undecodable bytes as surrogates
            shown = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            skipped.append((shown, "its name is not valid UTF-8 (the ids, the gradebook and "
                                   "every CSV are UTF-8): rename the file to grade it"))
            continue
        reason = _skip_reason(parts)
        if reason:
            skipped.append((str(path), reason))
            continue
        stamp_path = path.with_name("timestamp.txt")
        stamp = _read_small(stamp_path).decode(errors="replace").strip() \
            if stamp_path.is_file() and not stamp_path.is_symlink() else None
        entries.append((parts, str(path), None, stamp))
    return entries, metadata_text


def _apply_caps(submissions, max_notebook_bytes, max_archive_bytes):
    """Set each submission's cap; refuse the zip members beyond the archive's total cap (the
    declared sizes, in the order of the class list; a member over its own cap is not read and
    does not count)."""
    total, archives = 0, {}
    for sub in submissions:
        sub.max_bytes = int(max_notebook_bytes)
        if sub.member is None:
            continue
        if sub.path not in archives:
            with zipfile.ZipFile(sub.path) as archive:
                archives[sub.path] = {i.filename: i.file_size for i in archive.infolist()}
        size = archives[sub.path].get(sub.member, 0)
        if size > sub.max_bytes:
            continue
        total += size
        if total > max_archive_bytes:
            sub.refused = (f"the notebooks of {Path(sub.path).name} hold more than "
                           f"{_mib(max_archive_bytes)} uncompressed in all (the cap on an "
                           "archive); this one and those after it were not read")


def discover(source, lessons, max_notebook_bytes=MAX_NOTEBOOK_BYTES,
             max_archive_bytes=MAX_ARCHIVE_BYTES):
    """Every submission in ``source`` (a folder or a zip file) for the given lessons.

    ``max_notebook_bytes`` caps each notebook, ``max_archive_bytes`` what a zip's notebooks
    hold uncompressed in all; a submission over a cap is still returned (and recorded as
    ``too large`` when it is graded), see :meth:`Submission.read_bytes`.

    Raises
    ------
    SubmissionError
        When ``source`` does not exist, holds no notebook, or holds two notebooks for the same
        student and lesson.
    """
    source = Path(source)
    if not source.exists():
        raise SubmissionError(f"{source} does not exist. Give nbgrader's submitted/ folder, a "
                              "folder of <student>_<lesson>.ipynb files, an LMS download, or a "
                              ".zip of them.")
    skipped = []
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise SubmissionError(f"{source} is a file but not a zip archive. Give a folder or "
                                  "a .zip of notebooks.")
        layout = "zip"
        entries, metadata_text = _zip_entries(source, skipped)
    else:
        layout = "folder"
        entries, metadata_text = _folder_entries(source, skipped)
    if not entries:
        extra = "".join(f"\n  skipped {origin}: {reason}" for origin, reason in skipped[:10])
        raise SubmissionError(f"No notebook (.ipynb) found in {source}.{extra}")
    metadata = None
    if metadata_text is not None:
        try:
            metadata = lms.gradescope_submitters(metadata_text)
        except ValueError as error:
            raise SubmissionError(f"This looks like a Gradescope export, but {error}.") from None
    # One vote per nbgrader <student>/<lesson>/ folder: files a student adds to their own
    # folder (named like an LMS's downloads, say) must not switch the whole class's layout.
    voters, seen_folders = [], set()
    for parts, *_ in entries:
        index = _lesson_folder(parts, lessons)
        if index is not None:
            if parts[:index + 1] in seen_folders:
                continue
            seen_folders.add(parts[:index + 1])
        voters.append(parts)
    lms_layout = lms.detect(voters, metadata)
    if metadata is not None and lms_layout != "gradescope":
        raise SubmissionError(
            f"{lms.METADATA_FILE} is there, so this looks like a Gradescope export, but most "
            "notebooks are not in a submission_NNN/ folder that it names. Notebooks it could "
            "not read:\n" + "\n".join(f"  {'/'.join(parts)}" for parts, *_ in entries
                                      if lms.parse(parts, "gradescope", metadata) is None)[:2000])
    if not lms_layout:
        entries = _nbgrader_folders(entries, lessons, skipped)
    found, unmatched, nbgrader_like = {}, [], 0
    duplicates, superseded = {}, []
    for parts, path, member, stamp in entries:
        origin = f"{path}:{member}" if member else path
        if lms_layout:
            attributed = _lms_attribute(parts, lms_layout, lessons, metadata)
            if attributed is None:
                unmatched.append(origin)
                continue
            name, lesson = attributed
            candidate = Submission(student=name.student, lesson=lesson, path=path,
                                   member=member, timestamp=stamp, original=name.student,
                                   display_name=name.display_name, late_mark=name.late,
                                   lms=name.layout)
            key = (name.student, lesson)
            # where the LMS gives no order (Moodle), the file without a copy mark wins
            order = (name.order, not _is_copy(parts))
            if key in found:
                earlier, earlier_order = found[key]
                if order > earlier_order:
                    superseded.append((earlier.origin, origin))
                    found[key] = (candidate, order)
                else:
                    superseded.append((origin, earlier.origin))
                continue
            found[key] = (candidate, order)
            continue
        who = _attribute(parts, lessons)
        if who is None:
            unmatched.append(origin)
            continue
        nbgrader_like += len(parts) == 3 and parts[1] == PurePosixPath(parts[2]).stem
        key = (unicodedata.normalize("NFC", who[0]), who[1])
        copy = _is_copy(parts)
        if key in found:
            earlier, earlier_copy = found[key]
            if copy != earlier_copy:   # a browser's "(1)" or JupyterLab's "-Copy1" beside it
                kept, dropped = (earlier.origin, origin) if copy else (origin, earlier.origin)
                skipped.append((dropped, f"a copy of {kept} (its name carries a copy mark): "
                                         "the file without the mark is graded"))
                if copy:
                    continue
            else:
                duplicates.setdefault(key, [earlier.origin]).append(origin)
                continue
        found[key] = (Submission(student=key[0], lesson=who[1], path=path, member=member,
                                 timestamp=stamp, original=key[0]), copy)
    if duplicates:
        listing = "\n".join(f"  {student} {lesson}: {', '.join(origins)}"
                            for (student, lesson), origins in sorted(duplicates.items()))
        raise SubmissionError("More than one notebook for the same student and lesson; keep "
                              f"the one that counts and grade again:\n{listing}")
    ids = unique_ids(sub.original for sub, _ in found.values())
    submissions = []
    for sub, _ in found.values():
        sub.student = ids[sub.original]
        submissions.append(sub)
    if lms_layout:
        layout = f"{lms_layout} ({layout})"
    elif layout == "folder" and nbgrader_like and nbgrader_like == len(found):
        layout = "nbgrader"
    submissions.sort(key=lambda s: (s.student, s.lesson))
    _apply_caps(submissions, max_notebook_bytes, max_archive_bytes)
    return Discovery(submissions=submissions, unmatched=unmatched, layout=layout,
                     skipped=skipped, superseded=sorted(superseded))
